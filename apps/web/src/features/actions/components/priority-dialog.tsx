import type { Action } from '@hoh/contracts';
import { useState } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { SelectField } from '@/components/ui/select-field';
import { TextareaField } from '@/components/ui/textarea-field';
import { describeError } from '@/lib/api-client';
import { useUpdateAction } from '../api/update-action';
import { PRIORITY_HINTS } from '../vocabulary';
import type { Priority } from '../vocabulary';

/** Override the computed priority with a recorded reason, or go back to the computed one. */
export function PriorityDialog({ orgId, action, onClose }: { orgId: string; action: Action; onClose: () => void }) {
  const [priority, setPriority] = useState<Priority>(action.priorityOverride?.priority ?? action.computedPriority);
  const [reason, setReason] = useState(action.priorityOverride?.reason ?? '');
  const [missing, setMissing] = useState(false);
  const update = useUpdateAction(orgId);

  const submit = () => {
    if (reason.trim() === '') {
      setMissing(true);
      return;
    }
    update.mutate({ action, body: { priorityOverride: { priority, reason: reason.trim() } } }, { onSuccess: onClose });
  };

  return (
    <Dialog
      title={`Priority of ${action.number} “${action.title}”`}
      description={`Computed from the gaps it closes: ${PRIORITY_HINTS[action.computedPriority]}.`}
      onClose={onClose}
      onSubmit={submit}
      actions={
        <>
          <Button type="submit" isLoading={update.isPending && update.variables.body.priorityOverride !== null}>
            Save override
          </Button>
          {action.priorityOverride ? (
            <Button
              variant="ghost"
              isLoading={update.isPending && update.variables.body.priorityOverride === null}
              onClick={() => update.mutate({ action, body: { priorityOverride: null } }, { onSuccess: onClose })}
            >
              Use the computed priority
            </Button>
          ) : null}
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
        </>
      }
    >
      {update.error ? (
        <Alert tone="error" title="The priority was not changed">
          {describeError(update.error)}
        </Alert>
      ) : null}
      <SelectField
        label="Priority"
        value={priority}
        onChange={(e) => setPriority(e.target.value as Priority)}
        options={(['p1', 'p2', 'p3', 'p4'] as const).map((p) => ({ value: p, label: PRIORITY_HINTS[p] }))}
      />
      <TextareaField
        label="Why does the priority differ? (required)"
        value={reason}
        onChange={(e) => {
          setReason(e.target.value);
          setMissing(false);
        }}
        error={missing ? 'Record why the priority differs' : undefined}
      />
    </Dialog>
  );
}
