import { Link } from 'react-router';

import { Card } from '../../../components/ui/card';
import { ComingSoonPanel } from '../../../components/ui/coming-soon-panel';
import { PageHeader } from '../../../components/ui/page-header';
import { getSection, sections } from '../../../config/sections';
import { useMe } from '../../../features/auth/api/get-me';

export function Component() {
  const me = useMe();
  const overview = getSection('overview');
  const firstName = me.data?.user.name.split(/\s+/)[0];
  const organisation = me.data?.memberships[0]?.organisationName;

  return (
    <>
      <PageHeader
        title="Overview"
        lead={
          <>
            Welcome{firstName ? `, ${firstName}` : ''}.{' '}
            {organisation
              ? `This is where ${organisation} shows, with evidence, what it does to keep child sexual abuse material off its platforms and devices.`
              : null}
          </>
        }
      />
      <ComingSoonPanel title="Your readiness overview" description={overview.description} />
      <h2 className="section-title">What you will be able to do</h2>
      <ul className="section-grid">
        {sections
          .filter((s) => s.id !== 'overview')
          .map((section) => (
            <li key={section.id}>
              <Card as="article" className="section-card">
                <h3>
                  <Link to={section.href}>{section.title}</Link>
                </h3>
                <p>{section.description}</p>
              </Card>
            </li>
          ))}
      </ul>
    </>
  );
}
