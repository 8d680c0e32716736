import { z } from 'zod';

/** Facts about the database role the API serves requests with (docs/API.md §11). */
export const DbRoleFactsSchema = z.object({
  role: z.string(),
  superuser: z.boolean(),
  bypassRls: z.boolean(),
  ownsTables: z.boolean(),
});

/** Liveness: the process answers; says nothing about the database (use /api/health for readiness). */
export const LivenessResponseSchema = z.object({ status: z.literal('alive') });
export type LivenessResponse = z.infer<typeof LivenessResponseSchema>;

export const HealthResponseSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  uptimeSeconds: z.number(),
  db: DbRoleFactsSchema,
});
export type HealthResponse = z.infer<typeof HealthResponseSchema>;
