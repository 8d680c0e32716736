import type { QueryClient } from '@tanstack/react-query';
import { Link, redirect, useNavigate, useSearchParams } from 'react-router';
import type { LoaderFunctionArgs } from 'react-router';

import { ApiUnreachableBanner } from '@/components/errors/api-unreachable-banner';
import { PublicLayout } from '@/components/layouts/public-layout';
import { Card } from '@/components/ui/card';
import { paths, safeRedirectTarget } from '@/config/paths';
import { getMeQueryOptions } from '@/features/auth/api/get-me';
import { SignInForm } from '@/features/auth/components/sign-in-form';
import { SsoSignIn, ssoErrorOf } from '@/features/sso/components/sso-sign-in';

export const clientLoader =
  (queryClient: QueryClient) =>
  async ({ request }: LoaderFunctionArgs) => {
    const redirectTo = safeRedirectTarget(new URL(request.url).searchParams.get('redirectTo'));
    try {
      // No retry: a signed-out visitor should see the form at once, not after a back-off.
      await queryClient.fetchQuery({ ...getMeQueryOptions(), retry: false });
    } catch {
      // Not signed in (401) is the normal case here; an outage shows as the banner above the form.
      return null;
    }
    return redirect(redirectTo);
  };

export function Component() {
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const redirectTo = safeRedirectTarget(searchParams.get('redirectTo'));

  return (
    <PublicLayout banner={<ApiUnreachableBanner />}>
      <Card className="auth-card" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in</h1>
        <p className="auth-card__lead">
          Show, with evidence, what your organisation does to keep child sexual abuse material off its
          platforms and devices.
        </p>
        <SignInForm onSuccess={() => navigate(redirectTo, { replace: true })} />
        <SsoSignIn error={ssoErrorOf(searchParams)} />
      </Card>
      <p className="auth-aside">
        Handed a Hand on Heart report? <Link to={paths.verifyReport.getHref()}>Verify a report</Link> without signing in.
      </p>
    </PublicLayout>
  );
}
