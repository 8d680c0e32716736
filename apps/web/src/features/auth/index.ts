// The public surface of features/auth: what other features may import (eslint: feature boundaries).
export { useCurrentMembership } from './hooks/use-current-membership';
export { meQueryKey } from './api/get-me';
