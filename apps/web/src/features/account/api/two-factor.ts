import { RecoveryCodesSchema, SecondFactorStatusSchema, TotpEnrolmentSchema } from '@hoh/contracts';
import type { RecoveryCodes, SecondFactorProof, SecondFactorStatus, TotpEnrolment } from '@hoh/contracts';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { apiClient } from '@/lib/api-client';

/** Second factors belong to the person, not the organisation (docs/PRODUCT.md §2.7). */
export const twoFactorKeys = { status: () => ['auth', 'two-factor'] as const };

export const getTwoFactorStatus = (signal?: AbortSignal): Promise<SecondFactorStatus> => apiClient.get('/api/v1/auth/two-factor', SecondFactorStatusSchema, signal);
export const useTwoFactorStatus = () => useQuery(queryOptions({ queryKey: twoFactorKeys.status(), queryFn: ({ signal }) => getTwoFactorStatus(signal) }));

export const beginTotp = (): Promise<TotpEnrolment> => apiClient.post('/api/v1/auth/two-factor/totp', {}, TotpEnrolmentSchema);
export const confirmTotp = (code: string): Promise<RecoveryCodes> => apiClient.post('/api/v1/auth/two-factor/totp/confirm', { code }, RecoveryCodesSchema);
export const disableTotp = (proof: SecondFactorProof): Promise<undefined> => apiClient.post('/api/v1/auth/two-factor/totp/disable', proof, null);
export const regenerateRecoveryCodes = (proof: SecondFactorProof): Promise<RecoveryCodes> =>
  apiClient.post('/api/v1/auth/two-factor/recovery-codes', proof, RecoveryCodesSchema);

function useRefreshingStatus<TVars, TData>(mutationFn: (v: TVars) => Promise<TData>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queryClient.invalidateQueries({ queryKey: twoFactorKeys.status(), exact: true }) });
}

export const useBeginTotp = () => useMutation({ mutationFn: beginTotp });
export const useConfirmTotp = () => useRefreshingStatus(confirmTotp);
export const useDisableTotp = () => useRefreshingStatus(disableTotp);
export const useRegenerateRecoveryCodes = () => useRefreshingStatus(regenerateRecoveryCodes);
