import { nextPeriod, type PeriodResponse, titleForPeriod } from '@hoh/contracts';
import type { AssessmentStatus } from '@hoh/contracts';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { paths } from '@/config/paths';
import { describeError } from '@/lib/api-client';
import { useCreateAssessment } from '@/features/assessments';

import './next-year-review.css';

interface Source {
  id: string;
  title: string;
  status: AssessmentStatus;
  period: PeriodResponse;
}

/**
 * "Next year's review" (issue 24): offered only from a submitted or signed assessment, as the API
 * requires (a draft's answers may still change). The name and period are chosen here, prefilled
 * with the year after the source's and the API's own default name for it.
 */
export function NextYearReview({ orgId, source }: { orgId: string; source: Source }) {
  const navigate = useNavigate();
  const suggested = nextPeriod(source.period);
  const [title, setTitle] = useState(() => titleForPeriod(source.title, suggested));
  const [start, setStart] = useState(suggested.start);
  const [end, setEnd] = useState(suggested.end);
  const create = useCreateAssessment(orgId, { onSuccess: (created) => void navigate(`${paths.app.questionnaire.getHref()}?assessment=${created.id}`) });

  if (source.status === 'draft') {
    return (
      <p className="muted">
        Next year&apos;s review starts from a submitted or signed assessment, so its answers are settled before they are copied. Submit “{source.title}” for review
        first on <Link to={`${paths.app.review.getHref()}?assessment=${source.id}`}>Review &amp; sign-off</Link>.
      </p>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ fromAssessmentId: source.id, title: title.trim(), period: { start, end } });
  };

  return (
    <form className="next-year" onSubmit={submit} aria-label="Start next year's review">
      <p className="muted">Start a copy of “{source.title}” (answers, evidence links, open actions) so the second year is faster than the first. Reviews start over.</p>
      <div className="next-year__fields">
        <TextField label="Name" value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
        <TextField label="Period starts" type="date" value={start} onChange={(e) => setStart(e.target.value)} required />
        <TextField label="Period ends" type="date" value={end} onChange={(e) => setEnd(e.target.value)} required />
      </div>
      <Button type="submit" variant="secondary" isLoading={create.isPending}>
        Start next year&apos;s review
      </Button>
      {create.error ? (
        <Alert tone="error" title="Next year's review was not started">
          {describeError(create.error)}
        </Alert>
      ) : null}
    </form>
  );
}
