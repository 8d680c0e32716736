import { Link } from 'react-router';

import { Alert } from '@/components/ui/alert';
import { paths } from '@/config/paths';
import { useBankChanges } from '../api/get-bank-changes';

interface Props {
  orgId: string;
  /** The bank version the organisation's latest assessment is answered on, and the next published one. */
  framework: { id: string; version: string; next: string | null };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "hoh-csam 1.2.0 is published: 9 new questions apply to you", when the latest assessment is on an older version. */
export function BankChangesBanner({ orgId, framework }: Props) {
  const to = framework.next;
  const changes = useBankChanges(orgId, to ? { frameworkId: framework.id, from: framework.version, to } : null);
  if (!to || !changes.data) return null;
  const { counts } = changes.data;
  const applying = counts.new_applies + counts.now_applies;
  const parts = [
    applying > 0 ? `${plural(applying, 'question')} newly ${applying === 1 ? 'applies' : 'apply'} to you` : null,
    counts.criticality_changed > 0 ? `${plural(counts.criticality_changed, 'criticality change')}` : null,
    counts.references_corrected > 0 ? `references corrected on ${plural(counts.references_corrected, 'question')}` : null,
  ].filter((p): p is string => p !== null);
  return (
    <Alert tone="info" title={`${framework.id} ${to} is published${parts.length > 0 ? `: ${parts.join(', ')}` : ''}.`} className="bank-changes-banner">
      <p>
        Your latest assessment is on {framework.version}.{' '}
        <Link to={paths.app.bankChanges.getHref(framework.id, framework.version, to)}>See what {to} changes for you</Link>
      </p>
    </Alert>
  );
}
