import { SectionPlaceholder } from './section-placeholder';

export function Component() {
  return <SectionPlaceholder id="organisationProfile" />;
}
