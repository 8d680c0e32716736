import { PutAnswerRequestSchema } from '@hoh/contracts';
import type { AnswerResponse, AnswerValue, PutAnswerRequest } from '@hoh/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';

import { ApiError, describeError } from '../../../lib/api-client';
import { parseCurrentAnswer, usePutAnswer } from '../api/put-answer';

export interface AnswerDraft {
  value: AnswerValue | null;
  justification: string;
  comment: string;
}

export type SaveState =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'saved' }
  | { kind: 'invalid'; message: string }
  | { kind: 'error'; message: string }
  | { kind: 'conflict'; theirs: AnswerResponse; message: string };

interface BasedOn {
  answered: boolean;
  version: number;
}

export const draftFromAnswer = (answer: AnswerResponse | undefined): AnswerDraft => ({
  value: answer?.answered ? answer.value : null,
  justification: answer?.justification ?? '',
  comment: answer?.comment ?? '',
});

const basedOnAnswer = (answer: AnswerResponse | undefined): BasedOn => ({
  answered: answer?.answered ?? false,
  version: answer?.version ?? 0,
});

/** The request body for a draft, or the reason it cannot be sent yet. */
export function bodyFromDraft(draft: AnswerDraft): { ok: true; body: PutAnswerRequest } | { ok: false; message: string } {
  if (draft.value === null) {
    return { ok: false, message: 'Choose a level, “Unknown” or “Not applicable” to save.' };
  }
  const candidate = {
    value: draft.value,
    // A justification belongs to N/A only; comments are optional and blank means none.
    ...(draft.value === 'not_applicable' ? { justification: draft.justification.trim() } : {}),
    ...(draft.comment.trim() ? { comment: draft.comment.trim() } : {}),
  };
  const parsed = PutAnswerRequestSchema.safeParse(candidate);
  if (!parsed.success) {
    return { ok: false, message: parsed.error.issues[0]?.message ?? 'Check the answer.' };
  }
  return { ok: true, body: parsed.data };
}

export const AUTOSAVE_DELAY_MS = 700;

/**
 * Autosave for one answer: debounced, one request in flight at a time (a change made while saving
 * is sent right after, on the new version), If-None-Match / If-Match from the version the draft is
 * based on, and a conflict state carrying the other person's answer when the server says 412.
 */
export function useAnswerAutosave({
  orgId,
  assessmentId,
  questionId,
  serverAnswer,
  delayMs = AUTOSAVE_DELAY_MS,
}: {
  orgId: string;
  assessmentId: string;
  questionId: string;
  serverAnswer: AnswerResponse | undefined;
  delayMs?: number;
}) {
  const [draft, setDraftState] = useState<AnswerDraft>(() => draftFromAnswer(serverAnswer));
  const [state, setState] = useState<SaveState>({ kind: 'idle' });
  const draftRef = useRef(draft);
  const basedOn = useRef<BasedOn>(basedOnAnswer(serverAnswer));
  const inFlight = useRef(false);
  const queued = useRef(false);
  const dirty = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const put = usePutAnswer(orgId, assessmentId);
  const { mutateAsync } = put;

  const flush = useCallback(async (): Promise<void> => {
    if (timer.current !== null) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    if (inFlight.current) {
      queued.current = true;
      return;
    }
    const built = bodyFromDraft(draftRef.current);
    if (!built.ok) {
      setState({ kind: 'invalid', message: built.message });
      return;
    }
    inFlight.current = true;
    dirty.current = false;
    setState({ kind: 'saving' });
    try {
      const saved = await mutateAsync({ questionId, body: built.body, basedOn: basedOn.current });
      basedOn.current = basedOnAnswer(saved);
      inFlight.current = false;
      if (queued.current || dirty.current) {
        queued.current = false;
        await flush();
        return;
      }
      setState({ kind: 'saved' });
    } catch (error) {
      inFlight.current = false;
      queued.current = false;
      dirty.current = true;
      const theirs = error instanceof ApiError && error.status === 412 ? parseCurrentAnswer(error.current) : null;
      if (theirs) {
        setState({ kind: 'conflict', theirs, message: error instanceof ApiError ? error.message : '' });
      } else {
        setState({ kind: 'error', message: describeError(error) });
      }
    }
  }, [mutateAsync, questionId]);

  const setDraft = useCallback(
    (patch: Partial<AnswerDraft>) => {
      const next = { ...draftRef.current, ...patch };
      draftRef.current = next;
      dirty.current = true;
      setDraftState(next);
      setState((s) => (s.kind === 'conflict' ? s : { kind: 'pending' }));
      if (timer.current !== null) {
        clearTimeout(timer.current);
      }
      timer.current = setTimeout(() => {
        timer.current = null;
        void flush();
      }, delayMs);
    },
    [delayMs, flush],
  );

  /** Conflict resolution: drop my change and take the answer as the other person left it. */
  const keepTheirs = useCallback(() => {
    if (state.kind !== 'conflict') {
      return;
    }
    const theirs = draftFromAnswer(state.theirs);
    draftRef.current = theirs;
    basedOn.current = basedOnAnswer(state.theirs);
    dirty.current = false;
    setDraftState(theirs);
    setState({ kind: 'saved' });
  }, [state]);

  /** Conflict resolution: send my answer again, now based on the version I have seen. */
  const overwriteWithMine = useCallback(() => {
    if (state.kind !== 'conflict') {
      return;
    }
    basedOn.current = basedOnAnswer(state.theirs);
    void flush();
  }, [state, flush]);

  // A newer answer arriving from the server (a refetch) replaces an untouched draft.
  const serverVersion = serverAnswer?.version;
  useEffect(() => {
    if (serverAnswer && !dirty.current && !inFlight.current && serverAnswer.version > basedOn.current.version) {
      basedOn.current = basedOnAnswer(serverAnswer);
      draftRef.current = draftFromAnswer(serverAnswer);
      setDraftState(draftRef.current);
    }
    // Only a version change matters; the answer object is new on every cache update.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [serverVersion]);

  // Leaving the question (another domain, another page) saves what was typed instead of dropping it.
  useEffect(
    () => () => {
      if (timer.current !== null) {
        clearTimeout(timer.current);
        timer.current = null;
        void flush();
      }
    },
    [flush],
  );

  return { draft, setDraft, state, retry: flush, keepTheirs, overwriteWithMine };
}
