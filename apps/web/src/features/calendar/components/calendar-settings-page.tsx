import type { CalendarFeedCreated } from '@hoh/contracts';
import { useState } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { LoadError } from '@/components/ui/load-error';
import { PageHeader } from '@/components/ui/page-header';
import { Spinner } from '@/components/ui/spinner';
import { describeError } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { can } from '@/lib/permissions';
import { useCurrentMembership } from '@/features/auth';
import { useCalendarFeed, useCreateCalendarFeed, useRevokeCalendarFeed } from '../api/calendar-feed';

/**
 * Settings → Calendar (docs/PRODUCT.md §14): the member's private iCalendar address in the current
 * organisation. The address is shown once, when made; the server keeps only a hash of its secret,
 * so a lost address is replaced, never shown again.
 */
export function CalendarSettingsPage() {
  const { membership } = useCurrentMembership();
  const orgId = membership.organisationId;
  const feed = useCalendarFeed(orgId);
  const create = useCreateCalendarFeed(orgId);
  const revoke = useRevokeCalendarFeed(orgId);
  const [made, setMade] = useState<CalendarFeedCreated | null>(null);
  const [confirmReplace, setConfirmReplace] = useState(false);
  const runsReview = can(membership, 'manage');
  const active = feed.data?.active ?? false;

  const make = () => {
    setConfirmReplace(false);
    revoke.reset();
    create.mutate(undefined, { onSuccess: (created) => setMade(created) });
  };
  const stop = () => {
    setMade(null);
    setConfirmReplace(false);
    create.reset();
    revoke.mutate();
  };

  return (
    <>
      <PageHeader
        title="Calendar"
        lead={`Put ${membership.organisationName}'s dates in your own calendar (Outlook, Google, Apple): a private address your calendar app checks for changes, with no sign-in.`}
      />

      <Card aria-labelledby="calendar-address-title">
        <h2 id="calendar-address-title">Your calendar address</h2>
        {feed.isPending ? <Spinner label="Loading your calendar address…" /> : null}
        {feed.error ? <LoadError what="your calendar address" error={feed.error} onRetry={() => void feed.refetch()} /> : null}
        {feed.data && !active && !made ? (
          <>
            <p>You have no calendar address in {membership.organisationName}.</p>
            <Button onClick={make} isLoading={create.isPending}>
              Make a calendar address
            </Button>
          </>
        ) : null}
        {feed.data && active && !made ? (
          <>
            <p>
              You made your address on {formatDateTime(feed.data.createdAt)}. It is shown only once, when made. If you have lost it, or think
              someone else has it, replace it: the old address stops working at once.
            </p>
            {confirmReplace ? (
              <Alert tone="warning" title="Replace the address?">
                <p>Calendars subscribed to the current address stop updating; add the new one to them instead.</p>
                <Button onClick={make} isLoading={create.isPending}>
                  Replace it
                </Button>
                <Button variant="ghost" onClick={() => setConfirmReplace(false)}>
                  Keep the current one
                </Button>
              </Alert>
            ) : (
              <div className="row">
                <Button variant="secondary" onClick={() => setConfirmReplace(true)}>
                  Replace the address
                </Button>
                <Button variant="danger" onClick={stop} isLoading={revoke.isPending}>
                  Stop the address
                </Button>
              </div>
            )}
          </>
        ) : null}
        {made ? (
          <Alert tone="success" title={made.replacedPrevious ? 'New address made; the old one no longer works' : 'Calendar address made'}>
            <p>
              Copy it now: it is shown <strong>only once</strong>. Keep it private, like a password: anyone with it can read these dates.
            </p>
            <p className="secret">
              <code className="break" data-testid="calendar-url">
                {made.url}
              </code>
            </p>
            <CopyButton value={made.url} label="Copy the address" />
            <Button variant="danger" onClick={stop} isLoading={revoke.isPending}>
              Stop the address
            </Button>
            <Button variant="ghost" onClick={() => setMade(null)}>
              I have added it, hide it
            </Button>
          </Alert>
        ) : null}
        {create.error ? (
          <Alert tone="error" title="No address was made">
            {describeError(create.error)}
          </Alert>
        ) : null}
        {revoke.error ? (
          <Alert tone="error" title="The address was not stopped">
            {describeError(revoke.error)}
          </Alert>
        ) : null}
        {revoke.isSuccess && !active && !made ? <p role="status">Your address no longer works. Remove the calendar from your calendar app too.</p> : null}
      </Card>

      <section className="section-gap" aria-labelledby="calendar-contents-title">
        <h2 id="calendar-contents-title">What it shows</h2>
        <ul>
          {runsReview ? (
            <>
              <li>the due date of every open remediation action (open, in progress or blocked);</li>
              <li>the date each piece of evidence expires and stops counting towards the answers it supports;</li>
            </>
          ) : (
            <>
              <li>the due date of each open remediation action you own;</li>
              <li>the date each piece of evidence you added expires and stops counting;</li>
            </>
          )}
          <li>the date the annual review falls due: 12 months after the last sign-off.</li>
        </ul>
        <p className="muted">
          Each is an all-day event with a link back here. Done actions drop out; a moved date moves the event. Only this organisation is in it: each
          organisation you belong to has its own address.
        </p>
      </section>

      <section className="section-gap" aria-labelledby="calendar-howto-title">
        <h2 id="calendar-howto-title">Add it to your calendar</h2>
        <dl>
          <dt>Outlook (web and new Outlook)</dt>
          <dd>Calendar → Add calendar → Subscribe from web → paste the address, name it, then Import.</dd>
          <dt>Outlook (classic desktop)</dt>
          <dd>Calendar → Add Calendar → From Internet… → paste the address → OK.</dd>
          <dt>Google Calendar</dt>
          <dd>
            Other calendars → + → From URL → paste the address → Add calendar. Google checks for changes on its own schedule, usually within a day.
          </dd>
          <dt>Apple Calendar</dt>
          <dd>File → New Calendar Subscription… → paste the address → Subscribe.</dd>
        </dl>
        <p className="muted">Subscribe to the address; do not download and import the file, or it will never update.</p>
      </section>
    </>
  );
}
