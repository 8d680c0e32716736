import { z } from 'zod';

import { RoleSchema } from './auth.js';

export const UpdateMemberRequestSchema = z
  .object({
    role: RoleSchema.optional(),
    /** Only an owner or assessor can be the accountable individual; designating one undesignates the previous. */
    accountableIndividual: z.boolean().optional(),
  })
  .strict()
  .refine((b) => b.role !== undefined || b.accountableIndividual !== undefined, {
    message: 'Send role, accountableIndividual, or both',
  });
export type UpdateMemberRequest = z.infer<typeof UpdateMemberRequestSchema>;

// The response is MemberSchema (organisations.ts), the same shape GET …/members lists.
