// The public surface of features/account: what other features may import (eslint: feature boundaries).
export { useTwoFactorStatus } from './api/two-factor';
