import { Link } from 'react-router';

import { paths } from '@/config/paths';

export function FoundMaterialLink() {
  return (
    <Link className="found-material-link" to={paths.foundSuspectedMaterial.getHref()}>
      <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
        <path fillRule="evenodd" d="M12 2 1 21h22L12 2zm1 14h-2v2h2v-2zm0-6h-2v5h2v-5z" fill="currentColor" />
      </svg>
      Found suspected material?
    </Link>
  );
}
