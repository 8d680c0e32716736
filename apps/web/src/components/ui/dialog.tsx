import { useEffect, useId, useRef } from 'react';
import type { FormEvent, ReactNode } from 'react';

export interface DialogProps {
  title: string;
  /** One line under the title saying what the dialog does. */
  description?: ReactNode;
  onClose: () => void;
  /** When given, the body is a form and Enter submits it. */
  onSubmit?: () => void;
  children: ReactNode;
  /** The buttons; the first focusable field (or the first button) gets focus on open. */
  actions: ReactNode;
}

/**
 * A modal dialog without a library: focus moves in on open, Tab stays inside, Escape closes and
 * focus returns to whatever opened it.
 */
export function Dialog({ title, description, onClose, onSubmit, children, actions }: DialogProps) {
  const titleId = useId();
  const descId = useId();
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const first = ref.current?.querySelector<HTMLElement>('textarea, input, select, button');
    first?.focus();
    return () => {
      opener?.focus();
    };
  }, []);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
      return;
    }
    if (e.key !== 'Tab' || !ref.current) {
      return;
    }
    const focusable = [...ref.current.querySelectorAll<HTMLElement>('a[href], button:not([disabled]), textarea, input, select')];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) {
      return;
    }
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  const body = (
    <>
      <div className="dialog__body">{children}</div>
      <div className="dialog__actions">{actions}</div>
    </>
  );

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={ref}
        className="dialog card"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={description ? descId : undefined}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
        {description ? (
          <p id={descId} className="dialog__description">
            {description}
          </p>
        ) : null}
        {onSubmit ? (
          <form
            noValidate
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              onSubmit();
            }}
          >
            {body}
          </form>
        ) : (
          body
        )}
      </div>
    </div>
  );
}
