import { describeError } from './api-client';

/**
 * What to tell a person when a passkey ceremony fails in the browser (before or instead of the
 * server's answer): @simplewebauthn/browser's WebAuthnError keeps the DOMException's name and adds a
 * code. Server refusals (ApiError) keep their own message.
 */
export function describePasskeyError(error: unknown): string {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  if (code === 'ERROR_INVALID_DOMAIN' || code === 'ERROR_INVALID_RP_ID' || name === 'SecurityError') {
    return 'Passkeys for Hand on Heart work only at its usual address. Open it from your bookmark or an email link and try again.';
  }
  if (name === 'NotAllowedError' || name === 'AbortError') {
    return 'The passkey prompt was closed or timed out, or no passkey here belongs to this account. Try again, or use another way.';
  }
  if (name === 'InvalidStateError') return 'This authenticator already holds a passkey for your account.';
  return describeError(error);
}
