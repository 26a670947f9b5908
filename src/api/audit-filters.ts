import { z } from '@hono/zod-openapi';
import { ulidSchema } from '../domain/shared/schemas.js';
import { instantQuery } from './schemas.js';

/** The audit timeline's filters, shared by the page query and the live stream. */
export const auditFilterQuery = z.object({
  actor: z.string().max(200).optional(),
  aggregateType: z.string().max(50).optional(),
  aggregateId: ulidSchema.optional(),
  type: z.string().max(100).optional(),
  correlationId: z.string().max(128).optional(),
  commandId: ulidSchema.optional(),
  from: instantQuery.optional(),
  to: instantQuery.optional(),
});
