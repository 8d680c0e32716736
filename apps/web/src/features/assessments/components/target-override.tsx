import { PutTargetRequestSchema } from '@hoh/contracts';
import { useState } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { SelectField } from '@/components/ui/select-field';
import { TextareaField } from '@/components/ui/textarea-field';
import { describeError } from '@/lib/api-client';
import { usePutTarget } from '../api/put-target';

export interface TargetOverrideProps {
  orgId: string;
  assessmentId: string;
  questionId: string;
  /** The target in force (the engine's), and the override with its reason when there is one. */
  target: number | undefined;
  override: { target: number; reason: string } | undefined;
  /** Managers on a non-critical question of an unsigned assessment. */
  canChange: boolean;
}

/** The target level of one question; managers may raise or lower a non-critical one with a reason. */
export function TargetOverride({ orgId, assessmentId, questionId, target, override, canChange }: TargetOverrideProps) {
  const [open, setOpen] = useState(false);
  const [level, setLevel] = useState(String(override?.target ?? target ?? 3));
  const [reason, setReason] = useState(override?.reason ?? '');
  const [error, setError] = useState<string | undefined>();
  const put = usePutTarget(orgId, assessmentId);

  const save = () => {
    const parsed = PutTargetRequestSchema.safeParse({ target: Number(level), reason });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message);
      return;
    }
    put.mutate({ questionId, body: parsed.data }, { onSuccess: () => setOpen(false) });
  };

  return (
    <div className="target">
      <span>
        Target level <strong>{override?.target ?? target ?? '—'}</strong>
        {override ? <span className="muted small"> (changed: {override.reason})</span> : null}
      </span>
      {canChange ? (
        <Button
          variant="ghost"
          className="btn--small"
          aria-label={`Change target of ${questionId}`}
          onClick={() => {
            put.reset();
            setError(undefined);
            setOpen(true);
          }}
        >
          Change target
        </Button>
      ) : null}
      {open ? (
        <Dialog
          title={`Target for ${questionId}`}
          description="Raise or lower the level this question should reach. The reason is recorded and shown beside it; critical items keep the bank's target."
          onClose={() => setOpen(false)}
          onSubmit={save}
          actions={
            <>
              <Button type="submit" isLoading={put.isPending}>
                Save target
              </Button>
              <Button variant="secondary" onClick={() => setOpen(false)}>
                Cancel
              </Button>
            </>
          }
        >
          {put.error ? (
            <Alert tone="error" title="The target was not changed">
              {describeError(put.error)}
            </Alert>
          ) : null}
          <SelectField label="Target level" value={level} onChange={(e) => setLevel(e.target.value)} options={[0, 1, 2, 3, 4].map((n) => ({ value: String(n), label: `Level ${String(n)}` }))} />
          <TextareaField
            label="Why does this target differ? (required)"
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setError(undefined);
            }}
            error={error}
          />
        </Dialog>
      ) : null}
    </div>
  );
}
