import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

import { setCsrfToken } from '@/lib/api-client';

// Lazy route modules are transformed on first use, which can take over a second on a cold,
// two-core CI machine; the default 1 s wait would make the first test of a file flaky.
configure({ asyncUtilTimeout: 4000 });

// No vitest globals here, so Testing Library cannot register its own cleanup.
afterEach(() => {
  cleanup();
  setCsrfToken(null);
});
