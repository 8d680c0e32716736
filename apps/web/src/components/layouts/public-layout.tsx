import type { ReactNode } from 'react';
import { Link } from 'react-router';

import { paths } from '@/config/paths';
import { Logo } from '../ui/logo';

import { FoundMaterialLink } from './found-material-link';
import { SiteFooter } from './site-footer';

export interface PublicLayoutProps {
  children: ReactNode;
  /** Shown above the page content while the server is unreachable. */
  banner?: ReactNode;
  width?: 'narrow' | 'wide';
}

export function PublicLayout({ children, banner, width = 'narrow' }: PublicLayoutProps) {
  return (
    <div className="public-layout">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="public-header">
        <Link to={paths.app.overview.getHref()} className="brand">
          <Logo />
          <span className="brand__name">Hand on Heart</span>
        </Link>
        <FoundMaterialLink />
      </header>
      {banner ? <div className="banner-slot">{banner}</div> : null}
      <main id="main" tabIndex={-1} className={`public-main public-main--${width}`}>
        {children}
      </main>
      <SiteFooter />
    </div>
  );
}
