import { Link } from 'react-router';

import { paths } from '@/config/paths';

export function SiteFooter() {
  return (
    <footer className="site-footer">
      <p>
        Hand on Heart is a self-assessment tool, not legal advice. It never stores images, video or
        other media.
      </p>
      <Link className="site-footer__urgent" to={paths.foundSuspectedMaterial.getHref()}>
        Found suspected material? What to do now
      </Link>
    </footer>
  );
}
