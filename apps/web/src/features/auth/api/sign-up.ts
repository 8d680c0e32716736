import { SignUpResponseSchema } from '@hoh/contracts';
import type { MeResponse, SignUpRequest } from '@hoh/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { apiClient, setCsrfToken } from '@/lib/api-client';

import { meQueryKey } from './get-me';

export async function signUp(body: SignUpRequest): Promise<MeResponse> {
  const me = await apiClient.post('/api/v1/auth/sign-up', body, SignUpResponseSchema);
  setCsrfToken(me.csrfToken);
  return me;
}

export function useSignUp(options?: { onSuccess?: (me: MeResponse) => void | Promise<void> }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signUp,
    onSuccess: async (me) => {
      queryClient.clear();
      queryClient.setQueryData(meQueryKey, me);
      await options?.onSuccess?.(me);
    },
  });
}
