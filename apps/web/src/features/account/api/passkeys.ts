import {
  EmailVerificationResponseSchema,
  PasskeyAssertionSchema,
  PasskeyListSchema,
  PasskeyOptionsSchema,
  PasskeyRegistrationResponseSchema,
  PasskeySchema,
} from '@hoh/contracts';
import type { EmailVerificationResponse, Passkey, PasskeyAssertion, PasskeyOptions } from '@hoh/contracts';
import { browserSupportsWebAuthn, startAuthentication, startRegistration } from '@simplewebauthn/browser';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';
import { meQueryKey } from '@/features/auth';

/** Passkeys belong to the person, not the organisation (docs/PRODUCT.md §2.5). */
export const passkeyKeys = { all: () => ['auth', 'passkeys'] as const };

export const passkeysSupported = (): boolean => browserSupportsWebAuthn();

export const getPasskeys = async (signal?: AbortSignal): Promise<Passkey[]> => (await apiClient.get('/api/v1/auth/passkeys', PasskeyListSchema, signal)).items;
export const getPasskeysQueryOptions = () => queryOptions({ queryKey: passkeyKeys.all(), queryFn: ({ signal }) => getPasskeys(signal) });
export const usePasskeys = () => useQuery(getPasskeysQueryOptions());

/**
 * Asks the browser to prove it holds one of the person's passkeys, for `optionsPath`'s options
 * (the signed-in assertion options here; the sign-in step passes its own). The browser's answer is
 * parsed through the contract before it is sent.
 */
export async function provePasskey(optionsPath = '/api/v1/auth/passkeys/assertion-options', body: unknown = {}): Promise<PasskeyAssertion> {
  const options: PasskeyOptions = await apiClient.post(optionsPath, body, PasskeyOptionsSchema);
  const answer = await startAuthentication({ optionsJSON: options });
  return PasskeyAssertionSchema.parse(answer);
}

/** Options from the server, the browser's ceremony (user verification required), then the server verifies and stores it. */
export async function addPasskey(name: string): Promise<Passkey> {
  const options = await apiClient.post('/api/v1/auth/passkeys/registration-options', {}, PasskeyOptionsSchema);
  const answer = await startRegistration({ optionsJSON: options as unknown as Parameters<typeof startRegistration>[0]['optionsJSON'] });
  return apiClient.post('/api/v1/auth/passkeys', { name, response: PasskeyRegistrationResponseSchema.parse(answer) }, PasskeySchema);
}

export const renamePasskey = ({ id, name }: { id: string; name: string }): Promise<Passkey> =>
  apiClient.patch(`/api/v1/auth/passkeys/${encodeURIComponent(id)}`, { name }, PasskeySchema);

export async function removePasskey({ id, password }: { id: string; password?: string }): Promise<undefined> {
  const proof = password !== undefined ? { password } : { passkey: await provePasskey() };
  return apiClient.post(`/api/v1/auth/passkeys/${encodeURIComponent(id)}/remove`, proof, null);
}

function useInvalidatingPasskeys<TVars, TData>(mutationFn: (v: TVars) => Promise<TData>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queryClient.invalidateQueries({ queryKey: passkeyKeys.all(), exact: true }) });
}

export const useAddPasskey = () => useInvalidatingPasskeys(addPasskey);
export const useRenamePasskey = () => useInvalidatingPasskeys(renamePasskey);
export const useRemovePasskey = () => useInvalidatingPasskeys(removePasskey);

export const resendEmailVerification = (): Promise<EmailVerificationResponse> =>
  apiClient.post('/api/v1/auth/email-verification', {}, EmailVerificationResponseSchema);
export const useResendEmailVerification = () => useMutation({ mutationFn: resendEmailVerification });

export const confirmEmail = (token: string): Promise<EmailVerificationResponse> =>
  apiClient.post('/api/v1/auth/email-verification/confirm', { token }, EmailVerificationResponseSchema);
/** Confirming changes what /me says: the cached answer is dropped, so the next page reads it afresh (and drops the banner). */
export const useConfirmEmail = () => {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: confirmEmail, onSuccess: () => queryClient.removeQueries({ queryKey: meQueryKey }) });
};
