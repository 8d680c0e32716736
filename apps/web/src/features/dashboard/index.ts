// The public surface of features/dashboard: what other features may import (eslint: feature boundaries).
export { dashboardKey } from './api/get-dashboard';
