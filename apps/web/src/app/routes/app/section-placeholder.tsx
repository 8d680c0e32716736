import { ComingSoonPanel } from '../../../components/ui/coming-soon-panel';
import { PageHeader } from '../../../components/ui/page-header';
import { getSection } from '../../../config/sections';
import type { SectionId } from '../../../config/sections';

/** Stands in for a screen a later issue builds, so the navigation is complete from day one. */
export function SectionPlaceholder({ id }: { id: SectionId }) {
  const section = getSection(id);
  return (
    <>
      <PageHeader title={section.title} />
      <ComingSoonPanel title={section.title} description={section.description} />
    </>
  );
}
