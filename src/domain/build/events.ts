import { z } from 'zod';
import { eventSchema } from '../shared/event-schema.js';
import { securityScanSchema, testRunSchema } from './state.js';

// Event data as recorded. No command limits here: they may change, recorded events may not.
// Each event carries what a projection or an audit line needs without reading anything else.

/**
 * Version 2: the repository the commit was built from (null when the requester did not say, and
 * for every build requested before version 2), so that CI reports can be matched by commit and
 * repository. Version 1 was `{ featureId, commit }`; see upcasters.ts.
 */
export const buildRequestedSchema = z.object({ featureId: z.string(), commit: z.string(), repository: z.string().nullable() });
const buildResultSchema = z.object({ featureId: z.string(), commit: z.string(), durationMs: z.number() });
export const buildSucceededSchema = buildResultSchema;
export const buildFailedSchema = buildResultSchema;
export const testRunRecordedSchema = testRunSchema;
export const securityScanRecordedSchema = securityScanSchema;

export const buildEventSchema = z.discriminatedUnion('type', [
  eventSchema('BuildRequested', buildRequestedSchema),
  eventSchema('BuildSucceeded', buildSucceededSchema),
  eventSchema('BuildFailed', buildFailedSchema),
  eventSchema('TestRunRecorded', testRunRecordedSchema),
  eventSchema('SecurityScanRecorded', securityScanRecordedSchema),
]);
export type BuildEvent = z.infer<typeof buildEventSchema>;

export type BuildRequested = z.infer<typeof buildRequestedSchema>;
export type BuildSucceeded = z.infer<typeof buildSucceededSchema>;
export type BuildFailed = z.infer<typeof buildFailedSchema>;
export type TestRunRecorded = z.infer<typeof testRunRecordedSchema>;
export type SecurityScanRecorded = z.infer<typeof securityScanRecordedSchema>;
