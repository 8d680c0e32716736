import { z } from 'zod';

export const UuidSchema = z.uuid({ message: 'Must be a UUID, e.g. 3f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c' });
export const IsoDateTimeSchema = z.iso.datetime({ offset: true, message: 'Must be an ISO 8601 date-time, e.g. 2026-11-28T09:30:00Z' });
