import { Link } from 'react-router';

import { HEADLINE_FIGURES } from '@hoh/question-bank';

import { PublicLayout } from '@/components/layouts/public-layout';
import { Card } from '@/components/ui/card';
import { paths } from '@/config/paths';
import { formatDate } from '@/lib/format';

interface ReportingRoute {
  region: string;
  emergency: string;
  routes: { name: string; href: string; what: string }[];
}

// Plain anchors only: this page must load with no network access beyond the app itself, and must
// never embed or prefetch anything from a third party.
const REPORTING: ReportingRoute[] = [
  {
    region: 'United Kingdom',
    emergency: 'If a child is in immediate danger, call 999.',
    routes: [
      {
        name: 'Your local police (101), or NCA CEOP',
        href: 'https://www.ceop.police.uk/ceop-reporting/',
        what: 'Report abuse or grooming of a child, and material found on your own systems or devices.',
      },
      {
        name: 'Internet Watch Foundation (IWF)',
        href: 'https://report.iwf.org.uk/',
        what: 'Report the web address (URL) of images or videos publicly reachable online. Send the address only, never the file.',
      },
    ],
  },
  {
    region: 'United States',
    emergency: 'If a child is in immediate danger, call 911.',
    routes: [
      {
        name: 'NCMEC CyberTipline',
        href: 'https://report.cybertip.org/',
        what: 'Report online or 1-800-843-5678. Electronic service providers have a legal duty to report apparent CSAM here (18 U.S.C. § 2258A).',
      },
    ],
  },
  {
    region: 'Australia',
    emergency: 'If a child is in immediate danger, call 000.',
    routes: [
      {
        name: 'Australian Centre to Counter Child Exploitation (ACCCE)',
        href: 'https://www.accce.gov.au/report',
        what: 'Report online child sexual exploitation to the AFP-led centre.',
      },
    ],
  },
  {
    region: 'European Union',
    emergency: 'If a child is in immediate danger, call 112.',
    routes: [
      {
        name: 'Your national hotline, via INHOPE',
        href: 'https://www.inhope.org/',
        what: 'INHOPE lists the national hotline for each member country; report to the one where you are, and to the police.',
      },
    ],
  },
];

export function Component() {
  return (
    <PublicLayout width="wide">
      <article className="guidance" aria-labelledby="guidance-title">
        <header className="guidance__header">
          <h1 id="guidance-title">Found suspected child sexual abuse material?</h1>
          <p className="guidance__lead">
            Stop. Do not open it again, copy, forward, print or upload it here. Follow the steps
            below. You do not need to be signed in, and nothing on this page is sent anywhere.
          </p>
        </header>

        <div className="guidance__grid">
          <Card className="guidance__card guidance__card--stop" aria-labelledby="dont-title">
            <h2 id="dont-title">Do not</h2>
            <ul className="guidance__list">
              <li>Open, view or play it again, or look for more.</li>
              <li>Copy, download, screenshot, save or move it, even to collect evidence.</li>
              <li>Forward, share, email or print it, including to colleagues, managers or the police.</li>
              <li>
                <strong>Upload it here.</strong> Hand on Heart never accepts images, video, audio or
                archives, and must never hold this material.
              </li>
              <li>Delete it, wipe the device, or tell the person you suspect.</li>
            </ul>
            <p className="guidance__note">
              In many countries, including the UK, copying or sending this material is itself an
              offence, even with good intentions. Only the police or a hotline should handle it.
            </p>
          </Card>

          <Card className="guidance__card" aria-labelledby="preserve-title">
            <h2 id="preserve-title">Preserve and record</h2>
            <ul className="guidance__list">
              <li>Leave the file, account or device as it is, and stop others from reaching it.</li>
              <li>
                Write down where it is without opening it again: system, account or user id, file path or
                web address, and device.
              </li>
              <li>Note the date and time you found it, how, and who else knows.</li>
              <li>Keep any related logs; pause automatic deletion or retention jobs if you can.</li>
              <li>
                Tell your designated safeguarding lead, legal counsel or incident lead, and follow your
                incident procedure.
              </li>
            </ul>
          </Card>
        </div>

        <section className="guidance__report" aria-labelledby="report-title">
          <h2 id="report-title">Where to report</h2>
          <p>
            Report to the authorities where you are. If your organisation operates in several
            countries, your legal team will know which reports it must make.
          </p>
          <div className="guidance__regions">
            {REPORTING.map((region) => (
              <Card key={region.region} as="article" className="guidance__region" aria-label={region.region}>
                <h3>{region.region}</h3>
                <p className="guidance__emergency">{region.emergency}</p>
                <ul className="guidance__routes">
                  {region.routes.map((route) => (
                    <li key={route.name}>
                      <a href={route.href} target="_blank" rel="noopener noreferrer">
                        {route.name}
                        <span className="visually-hidden"> (opens in a new tab)</span>
                      </a>
                      <p>{route.what}</p>
                    </li>
                  ))}
                </ul>
              </Card>
            ))}
          </div>
        </section>

        <section className="guidance__first-hour" aria-labelledby="first-hour-title">
          <h2 id="first-hour-title">The first hour, step by step</h2>
          {/* Links only: this page itself calls no API, so it works signed out and with the service unreachable. */}
          <ul className="guidance__list">
            <li>
              <Link to={paths.firstHour.getHref()}>First-hour steps for each setting</Link>: a platform report, a work laptop, a backup or cloud
              store, a livestream, a hotline or police notice, a member of staff implicated. No sign-in needed.
            </li>
            <li>
              <Link to={paths.app.drillPlaybook.getHref()}>Your organisation&apos;s own playbook and last drill record</Link> (sign in).
            </li>
          </ul>
        </section>

        <section className="guidance__why" aria-labelledby="why-title">
          <h2 id="why-title">Why your report matters</h2>
          {/* Dated figures held with the question bank (docs/PRODUCT.md §9.2), the same the board pack prints. */}
          <ul className="guidance__list">
            {HEADLINE_FIGURES.slice(0, 2).map((figure) => (
              <li key={figure.url + figure.period}>
                {figure.statement}{' '}
                <span className="muted small">
                  (
                  <a href={figure.url} target="_blank" rel="noopener noreferrer">
                    {figure.publisher}
                    <span className="visually-hidden"> (opens in a new tab)</span>
                  </a>
                  , {figure.period}; published {/^\d{4}$/.test(figure.publishedOn) ? figure.publishedOn : formatDate(figure.publishedOn)})
                </span>
              </li>
            ))}
          </ul>
        </section>

        <Card className="guidance__card guidance__card--care" aria-labelledby="care-title">
          <h2 id="care-title">Look after yourself</h2>
          <p>
            Seeing this material is distressing. Talk to your manager or your employee assistance
            programme, and take a break before returning to work.
          </p>
        </Card>

        <p className="guidance__back">
          <Link to={paths.app.overview.getHref()}>Back to Hand on Heart</Link>
        </p>
      </article>
    </PublicLayout>
  );
}
