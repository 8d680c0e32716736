import { PasswordResetRequestedResponseSchema } from '@hoh/contracts';
import type { PasswordResetConfirmRequest, PasswordResetRequest, PasswordResetRequestedResponse } from '@hoh/contracts';
import { useMutation } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';

export const requestPasswordReset = (body: PasswordResetRequest): Promise<PasswordResetRequestedResponse> =>
  apiClient.post('/api/v1/auth/password-reset', body, PasswordResetRequestedResponseSchema);

export const confirmPasswordReset = (body: PasswordResetConfirmRequest): Promise<undefined> =>
  apiClient.post('/api/v1/auth/password-reset/confirm', body, null);

export const useRequestPasswordReset = () => useMutation({ mutationFn: requestPasswordReset });
export const useConfirmPasswordReset = () => useMutation({ mutationFn: confirmPasswordReset });

/** The token from a reset link's fragment (`#token=hoh_rst_…`); empty when the link was cut short. */
export function resetTokenFromHash(hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? '';
}
