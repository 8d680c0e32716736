import { Fragment } from 'react';
import { Link } from 'react-router';

import { paths } from '@/config/paths';

const FOUND = paths.foundSuspectedMaterial.getHref();

/**
 * A server message (the 415 refusal of an upload) shown verbatim, with the page on suspected material
 * it names as a real link rather than the bare path (issue 24 wording). The page needs no sign-in.
 */
export function RefusalMessage({ text }: { text: string }) {
  const parts = text.split(FOUND);
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 ? <Link to={FOUND}>what to do if you find suspected material</Link> : null}
        </Fragment>
      ))}
    </>
  );
}
