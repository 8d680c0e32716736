import { LoadError } from '@/components/ui/load-error';
import { PageHeader } from '@/components/ui/page-header';
import { Spinner } from '@/components/ui/spinner';
import { useCurrentMembership } from '@/features/auth/hooks/use-current-membership';
import { useNotificationPreferences } from '@/features/notifications/api/notification-preferences';
import { NotificationPreferencesForm } from '@/features/notifications/components/notification-preferences-form';

/** `/settings/notifications`: the signed-in member's delivery choice per reminder, in this organisation. */
export function Component() {
  const { membership } = useCurrentMembership();
  const orgId = membership.organisationId;
  const prefs = useNotificationPreferences(orgId);
  return (
    <>
      <PageHeader
        title="Notification settings"
        lead={`How reminders reach you in ${membership.organisationName}: immediately (in the app and by email), in the weekly digest mailed on Mondays, or not at all.`}
      />
      {prefs.isPending ? <Spinner label="Loading your notification settings…" /> : null}
      {prefs.error ? <LoadError what="your notification settings" error={prefs.error} onRetry={() => void prefs.refetch()} /> : null}
      {/* The form keeps what it loaded; a save made elsewhere meanwhile comes back as 412 and is shown there. */}
      {prefs.data ? <NotificationPreferencesForm orgId={orgId} preferences={prefs.data} /> : null}
    </>
  );
}
