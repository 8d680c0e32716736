import type { QueryClient } from '@tanstack/react-query';
import { redirect, useNavigate } from 'react-router';

import { ApiUnreachableBanner } from '@/components/errors/api-unreachable-banner';
import { PublicLayout } from '@/components/layouts/public-layout';
import { Card } from '@/components/ui/card';
import { paths } from '@/config/paths';
import { getMeQueryOptions } from '@/features/auth/api/get-me';
import { SignUpForm } from '@/features/auth/components/sign-up-form';

export const clientLoader = (queryClient: QueryClient) => async () => {
  try {
    await queryClient.fetchQuery({ ...getMeQueryOptions(), retry: false });
  } catch {
    return null;
  }
  // Already signed in: creating a second organisation from here would be a surprise.
  return redirect(paths.app.overview.getHref());
};

export function Component() {
  const navigate = useNavigate();
  return (
    <PublicLayout banner={<ApiUnreachableBanner />}>
      <Card className="auth-card" aria-labelledby="sign-up-title">
        <h1 id="sign-up-title">Create your organisation</h1>
        <p className="auth-card__lead">
          Start your organisation&apos;s self-assessment. You can invite colleagues once you are in.
        </p>
        <SignUpForm onSuccess={() => navigate(paths.app.overview.getHref(), { replace: true })} />
      </Card>
    </PublicLayout>
  );
}
