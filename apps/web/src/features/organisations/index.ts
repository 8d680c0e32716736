// The public surface of features/organisations: what other features may import (eslint: feature boundaries).
export { orgPath } from './api/keys';
export { organisationKeys } from './api/keys';
