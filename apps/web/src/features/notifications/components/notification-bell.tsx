import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';

import { paths } from '@/config/paths';
import { describeError } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { useMarkAllNotificationsRead, useMarkNotificationRead, useNotifications } from '../api/notifications';

import './notification-bell.css';

/**
 * The header's bell (docs/PRODUCT.md §14): the unread count, and a panel of the member's newest
 * notifications in this organisation, each linking to its evidence, action or assessment and marked
 * read when opened or on request, and a link to the member's notification settings.
 */
export function NotificationBell({ orgId }: { orgId: string }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const list = useNotifications(orgId);
  const markRead = useMarkNotificationRead(orgId);
  const markAll = useMarkAllNotificationsRead(orgId);
  const unread = list.data?.unread ?? 0;

  // Escape or a click elsewhere closes the panel, as menus do.
  useEffect(() => {
    if (!open) return undefined;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    const onClick = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [open]);

  const label = unread === 0 ? 'Notifications, none unread' : `Notifications, ${String(unread)} unread`;
  const error = list.error ?? markRead.error ?? markAll.error;
  return (
    <div className="notification-bell" ref={root}>
      <button
        type="button"
        className="notification-bell__button"
        aria-label={label}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((v) => !v)}
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" strokeWidth="2">
          <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {unread > 0 ? (
          <span className="notification-bell__count" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <section id={panelId} className="notification-panel" aria-label="Notifications">
          <header className="notification-panel__header">
            <h2>Notifications</h2>
            <button type="button" className="notification-panel__action" disabled={unread === 0 || markAll.isPending} onClick={() => markAll.mutate()}>
              Mark all read
            </button>
          </header>
          {error ? (
            <p role="alert" className="notification-panel__error">
              {describeError(error)}
            </p>
          ) : null}
          {list.isPending ? <p className="notification-panel__empty">Loading…</p> : null}
          {list.data && list.data.items.length === 0 ? (
            <p className="notification-panel__empty">Nothing yet. Reminders about expiring evidence, due actions, reviews and assignments appear here.</p>
          ) : null}
          <ul className="notification-panel__list">
            {list.data?.items.map((n) => (
              <li key={n.id} className={`notification${n.readAt ? '' : ' is-unread'}`}>
                <Link
                  to={n.link}
                  className="notification__title"
                  onClick={() => {
                    if (!n.readAt) markRead.mutate(n.id);
                    setOpen(false);
                  }}
                >
                  {n.title}
                </Link>
                <p className="notification__body">{n.body}</p>
                <div className="notification__meta">
                  <time dateTime={n.createdAt}>{formatDateTime(n.createdAt)}</time>
                  {n.readAt ? null : (
                    <button type="button" className="notification-panel__action" disabled={markRead.isPending} onClick={() => markRead.mutate(n.id)}>
                      Mark read<span className="visually-hidden">: {n.title}</span>
                    </button>
                  )}
                </div>
              </li>
            ))}
          </ul>
          <footer className="notification-panel__footer">
            <Link to={paths.app.notificationSettings.getHref()} onClick={() => setOpen(false)}>
              Notification settings
            </Link>
          </footer>
        </section>
      ) : null}
    </div>
  );
}
