import { z } from 'zod';

// The API is served from the same origin in production and proxied by Vite in development, so the
// default base is empty; set VITE_API_BASE_URL only for an unusual deployment.
const EnvSchema = z.object({
  VITE_API_BASE_URL: z.string().default(''),
});

const parsed = EnvSchema.safeParse(import.meta.env);
if (!parsed.success) {
  throw new Error(
    `Invalid web environment variables: ${parsed.error.message}. Fix the VITE_* values in your environment and rebuild.`,
  );
}

export const env = { apiBaseUrl: parsed.data.VITE_API_BASE_URL.replace(/\/$/, '') };
