import { ApiUnreachableBanner } from '@/components/errors/api-unreachable-banner';
import { PublicLayout } from '@/components/layouts/public-layout';
import { Card } from '@/components/ui/card';
import { ForgotPasswordForm } from '@/features/auth/components/forgot-password-form';

export function Component() {
  return (
    <PublicLayout banner={<ApiUnreachableBanner />}>
      <Card className="auth-card" aria-labelledby="forgot-title">
        <h1 id="forgot-title">Forgot your password?</h1>
        <p className="auth-card__lead">Enter the address you sign in with. If it has an account, we email it a link to choose a new password.</p>
        <ForgotPasswordForm />
      </Card>
    </PublicLayout>
  );
}
