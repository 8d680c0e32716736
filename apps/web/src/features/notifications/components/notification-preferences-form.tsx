import { NotificationPreferencesResponseSchema } from '@hoh/contracts';
import type { NotificationDelivery, NotificationPreferencesResponse, PreferenceKind } from '@hoh/contracts';
import { useState } from 'react';
import type { FormEvent } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { RadioGroup } from '@/components/ui/choice-group';
import type { Choice } from '@/components/ui/choice-group';
import { ApiError, describeError } from '@/lib/api-client';
import { useSaveNotificationPreferences } from '../api/notification-preferences';

/** What each kind is, in the words of docs/PRODUCT.md §14. */
export const KIND_TEXT: Record<PreferenceKind, { label: string; when: string }> = {
  evidence_30d: { label: 'Evidence expiring within 30 days', when: 'Evidence you uploaded, or any evidence if you are an owner or assessor.' },
  evidence_7d: { label: 'Evidence expiring within 7 days', when: 'The same evidence, a week before it stops counting.' },
  evidence_expired: { label: 'Evidence expired', when: 'It no longer counts; the answers it capped are named.' },
  action_7d: { label: 'Action due within 7 days', when: 'Actions you own (or any without an owner, if you are an owner).' },
  action_overdue: { label: 'Action overdue', when: 'The same actions, once their due date has passed.' },
  review_due_30d: { label: 'Annual review due within 30 days', when: 'Owners and assessors, 11 months after the last sign-off.' },
  review_due: { label: 'Annual review due', when: 'Owners and assessors, 12 months after the last sign-off.' },
  review_waiting: { label: 'Submission waiting for review', when: 'Owners and assessors, when someone else submits an assessment.' },
  assignment: { label: 'Questions assigned to you', when: 'When someone else assigns you questions to answer.' },
};

const CHOICES: readonly Choice<NotificationDelivery>[] = [
  { value: 'immediately', label: 'Immediately', hint: 'In the app and by email' },
  { value: 'weekly_digest', label: 'Weekly digest', hint: 'In the app now; by email in Monday’s digest' },
  { value: 'off', label: 'Off', hint: 'Neither' },
];

type Deliveries = Record<PreferenceKind, NotificationDelivery>;
const deliveriesOf = (p: NotificationPreferencesResponse): Deliveries => Object.fromEntries(p.items.map((i) => [i.kind, i.delivery])) as Deliveries;

/**
 * One radio group per kind (docs/PRODUCT.md §14.1). A kind the member's role must receive offers no
 * "Off". Saves against the version it was loaded from: if another tab saved first, the server answers
 * 412 with what is saved now, which the form shows instead of overwriting it.
 */
export function NotificationPreferencesForm({ orgId, preferences }: { orgId: string; preferences: NotificationPreferencesResponse }) {
  const [base, setBase] = useState(preferences);
  const [choice, setChoice] = useState<Deliveries>(() => deliveriesOf(preferences));
  const [notice, setNotice] = useState<string | null>(null);
  const save = useSaveNotificationPreferences(orgId);
  const changed = base.items.some((i) => choice[i.kind] !== i.delivery);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    save.mutate(
      { version: base.version, body: { deliveries: choice } },
      {
        onSuccess: (saved) => {
          setBase(saved);
          setChoice(deliveriesOf(saved));
          setNotice('Saved. New reminders follow these choices.');
        },
        onError: (error) => {
          const current = error instanceof ApiError && error.status === 412 ? NotificationPreferencesResponseSchema.safeParse(error.current) : null;
          if (current?.success) {
            setBase(current.data);
            setChoice(deliveriesOf(current.data));
            setNotice('Your preferences were changed elsewhere (another tab or device). They are shown as saved now; make your change again and save.');
            save.reset();
          }
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Notification preferences">
      {notice ? <Alert tone={notice.startsWith('Saved') ? 'success' : 'warning'}>{notice}</Alert> : null}
      {save.error ? (
        <Alert tone="error" title="Not saved">
          {describeError(save.error)}
        </Alert>
      ) : null}
      {base.items.map((item) => (
        <RadioGroup
          key={item.kind}
          inline
          legend={KIND_TEXT[item.kind].label}
          hint={item.required ? `${KIND_TEXT[item.kind].when} Your role must receive this, so it cannot be off.` : KIND_TEXT[item.kind].when}
          choices={item.required ? CHOICES.filter((c) => c.value !== 'off') : CHOICES}
          value={choice[item.kind]}
          onChange={(v) => {
            setNotice(null);
            setChoice((c) => ({ ...c, [item.kind]: v }));
          }}
        />
      ))}
      <Button type="submit" isLoading={save.isPending} disabled={!changed || save.isPending}>
        Save preferences
      </Button>
    </form>
  );
}
