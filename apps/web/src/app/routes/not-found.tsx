import { Link } from 'react-router';

import { PublicLayout } from '@/components/layouts/public-layout';
import { paths } from '@/config/paths';

export function Component() {
  return (
    <PublicLayout>
      <h1>Page not found</h1>
      <p>
        There is no page at this address. Check it for typos, or{' '}
        <Link to={paths.app.overview.getHref()}>go to the overview</Link>.
      </p>
    </PublicLayout>
  );
}
