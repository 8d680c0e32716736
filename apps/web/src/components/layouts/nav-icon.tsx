import type { SectionId } from '@/config/sections';

// 24×24 stroke icons drawn inline so the app loads no icon font or sprite from anywhere.
const ICONS: Record<SectionId, string> = {
  overview: 'M4 13h6V4H4v9zm0 7h6v-5H4v5zm10 0h6v-9h-6v9zm0-16v5h6V4h-6z',
  questionnaire: 'M9 5h10M9 12h10M9 19h10M4.5 5h.01M4.5 12h.01M4.5 19h.01',
  review: 'M9 12l2 2 4-4M12 3l8 4v5c0 4.5-3.4 8.3-8 9-4.6-.7-8-4.5-8-9V7l8-4z',
  remediation: 'M4 6h16M4 12h10M4 18h6M17 15l2 2 3-4',
  drills: 'M12 3v3M12 18v3M3 12h3M18 12h3M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8z',
  reports: 'M7 3h7l5 5v13H7V3zm7 0v5h5M10 13h6M10 17h6',
  organisationProfile: 'M4 21V5l8-2v18M12 8h8v13M7 8h2M7 12h2M7 16h2M15 12h2M15 16h2',
  members: 'M16 19v-1a4 4 0 0 0-8 0v1M12 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM20 19v-1a3 3 0 0 0-3-3M4 19v-1a3 3 0 0 1 3-3',
  evidence: 'M6 3h9l3 3v15H6V3zm3 9l2 2 4-4',
  apiTokens: 'M14 10a4 4 0 1 0-3.9 4H12v2h2v2h2v-2.5l-2.3-2.3A4 4 0 0 0 14 10zM9 10h.01',
  calendar: 'M4 6h16v14H4V6zm0 4h16M8 3v4M16 3v4M8 14h2M14 14h2M8 17h2',
  groups: 'M3 21V9l6-4v16M9 21V3l6 4v14M15 21V11l6-3v13M3 21h18',
  auditLog: 'M12 7v5l3 2M21 12a9 9 0 1 1-9-9 9 9 0 0 1 9 9z',
};

export function NavIcon({ id }: { id: SectionId }) {
  return (
    <svg
      className="nav-icon"
      viewBox="0 0 24 24"
      width="18"
      height="18"
      aria-hidden="true"
      focusable="false"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d={ICONS[id]} />
    </svg>
  );
}
