import { useEffect, useRef } from 'react';

export interface ReviewShortcutHandlers {
  next: () => void;
  previous: () => void;
  toggle: () => void;
  approve: () => void;
  returnItems: () => void;
}

/** Text the user is typing into: a key there is a character, never a shortcut. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
  return false;
}

type ElementRef = { readonly current: HTMLElement | null };

/**
 * The review list's keys: j/↓ next, k/↑ previous, x toggle selection, a approve, r return. Letters
 * work while nothing has focus or the focus is in the review (`scopeRef`), never while typing or
 * inside a dialog (a preview has its own keys), so a key pressed on another panel of the page (the
 * sign-off's checkboxes) approves nothing; the arrows only while focus is in the list, so they still
 * scroll the page elsewhere.
 */
export function useReviewShortcuts(scopeRef: ElementRef, listRef: ElementRef, handlers: ReviewShortcutHandlers, enabled = true): void {
  // The handlers change every render; the listener stays the same and reads the latest ones.
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    if (!enabled) return undefined;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (e.target instanceof Element && e.target.closest('[role="dialog"], dialog')) return;
      const inScope = e.target === document.body || (e.target instanceof Node && scopeRef.current?.contains(e.target) === true);
      if (!inScope) return;
      const inList = e.target instanceof Node && listRef.current?.contains(e.target) === true;
      const h = latest.current;
      const act: Record<string, (() => void) | undefined> = {
        j: h.next,
        k: h.previous,
        x: h.toggle,
        a: h.approve,
        r: h.returnItems,
        ArrowDown: inList ? h.next : undefined,
        ArrowUp: inList ? h.previous : undefined,
      };
      const run = act[e.key];
      if (!run) return;
      e.preventDefault();
      run();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled, scopeRef, listRef]);
}
