import type { Action } from '@hoh/contracts';
import { useState } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { TextareaField } from '@/components/ui/textarea-field';
import { describeError } from '@/lib/api-client';
import { useUpdateAction } from '../api/update-action';
import { ACTION_STATUS_LABELS, moveLabel, moveNeeds } from '../vocabulary';
import type { ActionStatus } from '../vocabulary';

export interface StatusDialogProps {
  orgId: string;
  action: Action;
  to: ActionStatus;
  onClose: () => void;
}

/**
 * Asks for what a status move needs (a closing note for done; a reason to accept a risk or to
 * reopen) and shows the server's refusal word for word, e.g. a critical gap that can't be accepted.
 */
export function StatusDialog({ orgId, action, to, onClose }: StatusDialogProps) {
  const needs = moveNeeds(action.status, to);
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const update = useUpdateAction(orgId);
  const label = moveLabel(action.status, to);

  const fieldLabel =
    needs === 'closingNote'
      ? 'Closing note: what was done? (required)'
      : needs === 'reason'
        ? to === 'risk_accepted'
          ? 'Why is the risk accepted? (required)'
          : 'Why is the action reopened? (required)'
        : 'Why is it blocked? (optional)';

  const submit = () => {
    const value = text.trim();
    if ((needs === 'closingNote' || needs === 'reason') && value === '') {
      setMissing(true);
      return;
    }
    const body =
      needs === 'closingNote'
        ? { status: to, closingNote: value }
        : value !== ''
          ? { status: to, reason: value }
          : { status: to };
    update.mutate({ action, body }, { onSuccess: onClose });
  };

  return (
    <Dialog
      title={`${label}: ${action.number} ${action.title}`}
      description={`From ${ACTION_STATUS_LABELS[action.status]} to ${ACTION_STATUS_LABELS[to]}.${to === 'risk_accepted' ? ' A critical control gap can never be risk-accepted.' : ''}`}
      onClose={onClose}
      onSubmit={submit}
      actions={
        <>
          <Button type="submit" isLoading={update.isPending}>
            {label}
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
        </>
      }
    >
      {update.error ? (
        <Alert tone="error" title="The status was not changed">
          {describeError(update.error)}
        </Alert>
      ) : null}
      <TextareaField
        label={fieldLabel}
        hint={needs === 'closingNote' ? 'Say what changed and where the evidence is; it is kept with the action and in the audit log.' : 'Recorded with the move and in the audit log.'}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setMissing(false);
        }}
        error={missing ? (needs === 'closingNote' ? 'Say what was done before closing the action' : 'Give a reason for this change') : undefined}
        rows={4}
      />
    </Dialog>
  );
}
