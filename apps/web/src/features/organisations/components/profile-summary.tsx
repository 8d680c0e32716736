import type { OrganisationProfile } from '@hoh/question-bank';

import { JURISDICTION_LABELS, RISK_KIND_LABELS, SERVICE_LABELS } from '@/config/vocabulary';

const yesNo = (b: boolean): string => (b ? 'Yes' : 'No');

/** The saved profile as a read-only list (for members who cannot change it). */
export function ProfileSummary({ profile }: { profile: OrganisationProfile }) {
  const rows: [string, string][] = [
    ['Services', profile.services.map((s) => SERVICE_LABELS[s].label).join(', ') || 'None'],
    ['UK monthly active users', profile.ukMonthlyUsers.toLocaleString()],
    ['Managed devices', profile.managedDevices.toLocaleString()],
    ['Children likely to use it', yesNo(profile.childrenLikely)],
    ['Public user content', yesNo(profile.publicContent)],
    ['End-to-end encryption', yesNo(profile.e2ee)],
    ...(Object.keys(RISK_KIND_LABELS) as (keyof typeof RISK_KIND_LABELS)[]).map(
      (k): [string, string] => [`Risk: ${RISK_KIND_LABELS[k]}`, profile.risk[k]],
    ),
    ['Multi-risk (two or more kinds at medium or high)', yesNo(profile.multiRisk)],
    ['Any kind at medium or high risk', yesNo(profile.anyRisk)],
    ['Jurisdictions', profile.jurisdictions.map((j) => JURISDICTION_LABELS[j]).join(', ') || 'None'],
  ];
  return (
    <section className="card" aria-labelledby="profile-summary-title">
      <h2 id="profile-summary-title">Organisation profile</h2>
      <dl className="facts">
        {rows.map(([k, v]) => (
          <div key={k} className="facts__row">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
