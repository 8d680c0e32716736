import { useState } from 'react';

import { useApiUnreachable } from '@/lib/use-api-unreachable';
import { ApiUnreachablePanel } from '../ui/api-unreachable-panel';

/** Shown above any page while a query is failing because the server can't be reached. */
export function ApiUnreachableBanner() {
  const { error, retry } = useApiUnreachable();
  const [isRetrying, setIsRetrying] = useState(false);
  if (!error) {
    return null;
  }
  const onRetry = () => {
    setIsRetrying(true);
    void retry().finally(() => setIsRetrying(false));
  };
  return (
    <ApiUnreachablePanel
      variant="banner"
      code={error.code}
      status={error.status}
      onRetry={onRetry}
      isRetrying={isRetrying}
    />
  );
}
