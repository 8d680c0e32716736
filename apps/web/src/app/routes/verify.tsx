import { VERIFY_PAGE_PARAMS } from '@hoh/contracts';
import { Link, useSearchParams } from 'react-router';

import { ApiUnreachableBanner } from '@/components/errors/api-unreachable-banner';
import { PublicLayout } from '@/components/layouts/public-layout';
import { Card } from '@/components/ui/card';
import { paths } from '@/config/paths';
import { PUBLIC_KEY_PATH } from '@/features/reports/api/verify-report';
import { readReportCode, VerifyByCode } from '@/features/reports/components/verify-by-code';
import { VerifyReportForm } from '@/features/reports/components/verify-report-form';

/**
 * Public: anyone handed a Hand on Heart PDF can check it here, without an account. A report's own
 * link or QR code opens it as /verify?report=…&results=… (VERIFY_PAGE_PARAMS): the page then names
 * the report first and asks for the file second.
 */
export function Component() {
  const [params] = useSearchParams();
  const code = readReportCode(params.get(VERIFY_PAGE_PARAMS.reportId), params.get(VERIFY_PAGE_PARAMS.resultsSha256));
  return (
    <PublicLayout banner={<ApiUnreachableBanner />}>
      <Card className="auth-card" aria-labelledby="verify-title">
        <h1 id="verify-title">Verify a report</h1>
        <p className="auth-card__lead">
          Were you handed a Hand on Heart report? Check that it was issued by this service and has not been altered since. No account
          needed.
        </p>
        {code ? <VerifyByCode code={code} /> : <VerifyReportForm />}
        <p className="muted small">
          To check the signature yourself, use the <a href={PUBLIC_KEY_PATH}>public signing key</a> (Ed25519) and the manifest an auditor can
          download with the report. <Link to={paths.auth.signIn.getHref()}>Sign in</Link>
        </p>
      </Card>
    </PublicLayout>
  );
}
