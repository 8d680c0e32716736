import { MeResponseSchema, PasskeyAssertionSchema, PasskeyOptionsSchema } from '@hoh/contracts';
import type { MeResponse } from '@hoh/contracts';
import { startAuthentication } from '@simplewebauthn/browser';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient, setCsrfToken } from '@/lib/api-client';

import { meQueryKey } from './get-me';

/**
 * The second step of a sign-in with a passkey (docs/PRODUCT.md §2.5): options for the pending
 * sign-in's challenge (only that account's passkeys), the browser's ceremony with user verification,
 * then the answer completes the sign-in. The browser refuses a passkey made for another site.
 */
export async function signInWithPasskey(challenge: string): Promise<MeResponse> {
  const options = await apiClient.post('/api/v1/auth/sign-in/passkey-options', { challenge }, PasskeyOptionsSchema);
  const answer = await startAuthentication({ optionsJSON: options });
  const me = await apiClient.post('/api/v1/auth/sign-in/second-factor', { challenge, passkey: PasskeyAssertionSchema.parse(answer) }, MeResponseSchema);
  setCsrfToken(me.csrfToken);
  return me;
}

export const usePasskeySignIn = () => {
  const queryClient = useQueryClient();
  // As the code step does: nothing cached for whoever used this browser before survives the sign-in.
  return useMutation({
    mutationFn: signInWithPasskey,
    onSuccess: (me) => {
      queryClient.clear();
      queryClient.setQueryData(meQueryKey, me);
    },
  });
};
