import { Link } from 'react-router';

import { paths } from '@/config/paths';
import { Card } from '../ui/card';

/**
 * An id in the address that this organisation does not have: unknown, or another organisation's.
 * Same words either way, so existence does not leak (docs/API.md §3.2 answers 404 for both).
 */
export function NotFoundPanel({ what }: { what: string }) {
  return (
    <Card className="empty-state" role="alert" aria-labelledby="not-found-title">
      <h2 id="not-found-title" className="empty-state__title">
        {what} not found
      </h2>
      <p>
        There is no {what.toLowerCase()} with this address in your organisation. Check the link, or if you belong to several
        organisations, switch to the right one.
      </p>
      <Link className="btn btn--primary" to={paths.app.overview.getHref()}>
        Go to the overview
      </Link>
    </Card>
  );
}
