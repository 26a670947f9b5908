// The EventStoreDB release the double answers like. docker-compose.yml runs 24.10, so that is the
// default; 23.10 is the oldest release the application supports.
//
// Where the two differ, as far as this client sees (the subscription enumerators were rewritten
// for 24.10, and its storage reader learned to name an unreadable position):
// - an $all position that is not the start of a record: 24.10 answers INVALID_ARGUMENT
//   ("Trying to read from an invalid position."); 23.10 fails the read with UNKNOWN
//   ("Unexpected ReadAllResult: Error") and a subscription with UNKNOWN before confirming it;
// - a subscription from a position beyond the head: 24.10 goes live at once and skips every live
//   event up to that position; 23.10 delivers the live events as they come;
// - a consumer too slow for the live buffer (32 events): 23.10 drops the subscription with ABORTED
//   ("Consumer too slow"); 24.10 drops the oldest buffered events, goes back to reading the log
//   from the last event it sent and sends CaughtUp again, without telling the client;
// - filtered subscriptions: 24.10 also sends a checkpoint when a catch-up reaches the end of the
//   log and before it falls behind; 23.10 only every checkpoint interval.
import { z } from 'zod';

export const serverVersionSchema = z.enum(['23.10', '24.10']);
export type EsdbServerVersion = z.infer<typeof serverVersionSchema>;
export const DEFAULT_SERVER_VERSION: EsdbServerVersion = '24.10';
export const SERVER_VERSIONS = serverVersionSchema.options;
