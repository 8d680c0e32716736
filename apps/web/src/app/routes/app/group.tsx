import { Link, useParams } from 'react-router';

import { paths } from '@/config/paths';
import { GroupPage } from '@/features/groups/components/group-page';

/** One group's dashboard (docs/PRODUCT.md §16.3); a group the user is not in answers "not found". */
export function Component() {
  const { groupId = '' } = useParams();
  return (
    <>
      <p>
        <Link to={paths.app.groups.getHref()}>All groups</Link>
      </p>
      <GroupPage key={groupId} groupId={groupId} />
    </>
  );
}
