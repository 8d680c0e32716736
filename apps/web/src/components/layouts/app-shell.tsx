import type { ReactNode } from 'react';
import { Link, NavLink } from 'react-router';

import { paths } from '@/config/paths';
import type { Section } from '@/config/sections';
import { Button } from '../ui/button';
import { Logo } from '../ui/logo';

import { FoundMaterialLink } from './found-material-link';
import { NavIcon } from './nav-icon';
import { SiteFooter } from './site-footer';

export interface AppShellProps {
  userName: string;
  organisationName: string | null;
  role: string | null;
  /** Shown as a switcher only when the user belongs to more than one organisation. */
  organisations?: readonly { id: string; name: string }[];
  currentOrganisationId?: string | null;
  onSelectOrganisation?: (organisationId: string) => void;
  sections: readonly Section[];
  onSignOut: () => void;
  isSigningOut: boolean;
  banner?: ReactNode;
  /** The notification bell for the current organisation (features/notifications), beside the user menu. */
  notifications?: ReactNode;
  children: ReactNode;
}

export function AppShell({
  userName,
  organisationName,
  role,
  organisations = [],
  currentOrganisationId = null,
  onSelectOrganisation,
  sections,
  onSignOut,
  isSigningOut,
  banner,
  notifications,
  children,
}: AppShellProps) {
  return (
    <div className="app-shell">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="app-header">
        <Link to={paths.app.overview.getHref()} className="brand">
          <Logo />
          <span className="brand__name">Hand on Heart</span>
        </Link>
        {organisations.length > 1 && onSelectOrganisation ? (
          <label className="org-switcher">
            <span className="visually-hidden">Organisation</span>
            <select value={currentOrganisationId ?? ''} onChange={(e) => onSelectOrganisation(e.target.value)}>
              {organisations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
        ) : organisationName ? (
          <span className="org-chip" title="Your organisation">
            <span className="visually-hidden">Organisation: </span>
            {organisationName}
          </span>
        ) : null}
        <div className="app-header__spacer" />
        <FoundMaterialLink />
        {notifications}
        <div className="user-menu">
          <Link className="user-menu__name" to={paths.app.account.getHref()} title="Your account: password and sessions">
            <span className="visually-hidden">Signed in as </span>
            {userName}
            <span className="visually-hidden"> (your account)</span>
          </Link>
          {role ? <span className="user-menu__role">{role}</span> : null}
        </div>
        <Button variant="secondary" onClick={onSignOut} isLoading={isSigningOut}>
          Sign out
        </Button>
      </header>
      <div className="app-body">
        <nav className="app-nav" aria-label="Main">
          <ul>
            {sections.map((section) => (
              <li key={section.id}>
                <NavLink
                  to={section.href}
                  end={section.href === '/'}
                  className={({ isActive }) => `app-nav__link${isActive ? ' is-active' : ''}`}
                  title={section.description}
                >
                  <NavIcon id={section.id} />
                  {section.title}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="app-content">
          {banner ? <div className="banner-slot">{banner}</div> : null}
          <main id="main" tabIndex={-1} className="app-main">
            {children}
          </main>
          <SiteFooter />
        </div>
      </div>
    </div>
  );
}
