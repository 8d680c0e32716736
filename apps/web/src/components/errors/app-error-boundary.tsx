import { Component } from 'react';
import type { ErrorInfo, ReactNode } from 'react';

import { ErrorPanel } from './error-panel';

interface State {
  error: unknown;
}

/** Last line of defence outside the router: whatever breaks, the user sees words, not white. */
export class AppErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('Unhandled error in the Hand on Heart web app', error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.error !== null) {
      return <ErrorPanel error={this.state.error} onRetry={() => window.location.reload()} />;
    }
    return this.props.children;
  }
}
