// The public surface of features/actions: what other features may import (eslint: feature boundaries).
export { ActionNumber } from './components/action-bits';
export { ACTION_STATUS_LABELS } from './vocabulary';
export { PRIORITY_LABELS } from './vocabulary';
