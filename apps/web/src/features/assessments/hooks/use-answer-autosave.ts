import { PutAnswerRequestSchema } from '@hoh/contracts';
import type { AnswerResponse, AnswerValue, PutAnswerRequest } from '@hoh/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';

import { ApiError, describeError } from '@/lib/api-client';
import { parseCurrentAnswer, usePutAnswer } from '../api/put-answer';

/** The detection figures as typed (TRN-06; docs/PRODUCT.md §5.1): all blank means the answer has none. */
export interface FiguresDraft {
  detections: string;
  reportable: string;
  reported: string;
  medianHoursToReport: string;
}

export const FIGURE_FIELDS = ['detections', 'reportable', 'reported', 'medianHoursToReport'] as const;
export type FigureField = (typeof FIGURE_FIELDS)[number];

export interface AnswerDraft {
  value: AnswerValue | null;
  justification: string;
  comment: string;
  /** Only questions that take figures show these; elsewhere they stay blank and are never sent. */
  figures: FiguresDraft;
}

/** Field errors by body path (e.g. `figures.reported`), shown under the field they name. */
export type FieldErrors = Readonly<Record<string, string>>;

export type SaveState =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'saved' }
  | { kind: 'invalid'; message: string; fields?: FieldErrors }
  | { kind: 'error'; message: string; fields?: FieldErrors }
  | { kind: 'conflict'; theirs: AnswerResponse; message: string };

interface BasedOn {
  answered: boolean;
  version: number;
}

const typed = (n: number | null | undefined): string => (n === null || n === undefined ? '' : String(n));

export const draftFromAnswer = (answer: AnswerResponse | undefined): AnswerDraft => ({
  value: answer?.answered ? answer.value : null,
  justification: answer?.justification ?? '',
  comment: answer?.comment ?? '',
  figures: {
    detections: typed(answer?.figures?.detections),
    reportable: typed(answer?.figures?.reportable),
    reported: typed(answer?.figures?.reported),
    medianHoursToReport: typed(answer?.figures?.medianHoursToReport),
  },
});

const COUNT_WORDS: Record<Exclude<FigureField, 'medianHoursToReport'>, string> = {
  detections: 'detections',
  reportable: 'reportable detections',
  reported: 'reports made',
};

/** The figures to send: none when all four are blank; blank counts are refused, blank hours are null. */
function figuresFromDraft(f: FiguresDraft | undefined): { figures?: Record<FigureField, number | null>; fields?: Record<string, string> } {
  if (!f || FIGURE_FIELDS.every((k) => f[k].trim() === '')) {
    return {};
  }
  const fields: Record<string, string> = {};
  const count = (k: Exclude<FigureField, 'medianHoursToReport'>) => {
    if (f[k].trim() === '') {
      fields[`figures.${k}`] = `Enter the number of ${COUNT_WORDS[k]} (0 if none).`;
    }
    return Number(f[k].trim());
  };
  const figures = {
    detections: count('detections'),
    reportable: count('reportable'),
    reported: count('reported'),
    medianHoursToReport: f.medianHoursToReport.trim() === '' ? null : Number(f.medianHoursToReport.trim()),
  };
  return Object.keys(fields).length > 0 ? { fields } : { figures };
}

const basedOnAnswer = (answer: AnswerResponse | undefined): BasedOn => ({
  answered: answer?.answered ?? false,
  version: answer?.version ?? 0,
});

/** The request body for a draft, or the reason it cannot be sent yet. */
export function bodyFromDraft(draft: AnswerDraft): { ok: true; body: PutAnswerRequest } | { ok: false; message: string; fields?: FieldErrors } {
  if (draft.value === null) {
    return { ok: false, message: 'Choose a level, “Unknown” or “Not applicable” to save.' };
  }
  const { figures, fields } = figuresFromDraft(draft.figures);
  if (fields) {
    return { ok: false, message: Object.values(fields)[0] ?? 'Check the figures.', fields };
  }
  const candidate = {
    value: draft.value,
    // A justification belongs to N/A only; comments are optional and blank means none.
    ...(draft.value === 'not_applicable' ? { justification: draft.justification.trim() } : {}),
    ...(draft.comment.trim() ? { comment: draft.comment.trim() } : {}),
    ...(figures ? { figures } : {}),
  };
  const parsed = PutAnswerRequestSchema.safeParse(candidate);
  if (!parsed.success) {
    const byPath = Object.fromEntries(parsed.error.issues.map((i) => [i.path.map(String).join('.'), i.message]));
    return { ok: false, message: parsed.error.issues[0]?.message ?? 'Check the answer.', fields: byPath };
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
      setState({ kind: 'invalid', message: built.message, ...(built.fields ? { fields: built.fields } : {}) });
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
        // A 400 names the fields it refused (e.g. figures.reported): show each under its field.
        const fields = error instanceof ApiError ? Object.fromEntries(error.details.map((d) => [d.path, d.message])) : {};
        setState({ kind: 'error', message: describeError(error), ...(Object.keys(fields).length > 0 ? { fields } : {}) });
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
