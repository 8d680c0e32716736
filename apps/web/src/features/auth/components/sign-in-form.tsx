import { SignInRequestSchema } from '@hoh/contracts';
import type { MeResponse, SecondFactorChallenge } from '@hoh/contracts';
import { useState } from 'react';
import { Link } from 'react-router';

import { Button } from '@/components/ui/button';
import { FormStatus } from '@/components/ui/form-status';
import { TextField } from '@/components/ui/text-field';
import { paths } from '@/config/paths';
import { useContractForm } from '@/lib/use-contract-form';
import { useSignIn } from '../api/sign-in';

import { SecondFactorStep } from './second-factor-step';
import '../auth.css';

const FIELDS = ['email', 'password'] as const;

export function SignInForm({ onSuccess }: { onSuccess: (me: MeResponse) => void | Promise<void> }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [challenge, setChallenge] = useState<SecondFactorChallenge | null>(null);
  const signIn = useSignIn({ onSuccess, onChallenge: setChallenge });
  const form = useContractForm({ schema: SignInRequestSchema, mutation: signIn, fields: FIELDS });
  const { fieldErrors } = form;

  if (challenge) {
    return (
      <SecondFactorStep
        challenge={challenge}
        onSignedIn={onSuccess}
        onRestart={() => {
          setChallenge(null);
          setPassword('');
          signIn.reset();
        }}
      />
    );
  }

  return (
    <form className="form" onSubmit={form.onSubmit({ email, password })} noValidate aria-describedby="sign-in-status">
      <FormStatus id="sign-in-status" formErrorTitle="Could not sign you in" {...form.statusProps({ email, password })} />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        inputMode="email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={fieldErrors.email}
        required
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fieldErrors.password}
        required
      />
      <Button type="submit" isLoading={signIn.isPending} className="btn--block">
        Sign in
      </Button>
      <p className="form__aside">
        <Link to={paths.auth.forgotPassword.getHref()}>Forgot your password?</Link>
      </p>
      <p className="form__aside">
        New to Hand on Heart? <Link to={paths.auth.signUp.getHref()}>Create an organisation account</Link>
      </p>
    </form>
  );
}
