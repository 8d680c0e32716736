import type { ReactNode } from 'react';

type Tone = 'error' | 'warning' | 'info' | 'success';

export interface AlertProps {
  tone?: Tone;
  title?: string | undefined;
  children?: ReactNode;
  className?: string | undefined;
}

export function Alert({ tone = 'info', title, children, className }: AlertProps) {
  // Errors interrupt (role=alert); everything else is announced politely.
  const role = tone === 'error' ? 'alert' : 'status';
  return (
    <div role={role} className={['alert', `alert--${tone}`, className].filter(Boolean).join(' ')}>
      {title ? <p className="alert__title">{title}</p> : null}
      {children ? <div className="alert__body">{children}</div> : null}
    </div>
  );
}
