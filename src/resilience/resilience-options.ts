import { z } from 'zod';

/** How every call to one backend is guarded. Defaults suit a server; tests shrink the times. */
export const resilienceOptionsSchema = z.object({
  /** No single call may take longer; a hung backend costs at most this per attempt. */
  callTimeoutMs: z.number().int().positive().default(2000),
  /** Attempts per call, the first included; only transient failures are retried. */
  maxAttempts: z.number().int().min(1).max(10).default(3),
  /** Exponential backoff with decorrelated jitter between attempts. */
  initialBackoffMs: z.number().int().positive().default(50),
  maxBackoffMs: z.number().int().positive().default(1000),
  /** Consecutive failed calls that open the breaker. */
  breakerThreshold: z.number().int().min(1).default(5),
  /** How long an open breaker refuses calls before it lets one probe through (half-open). */
  halfOpenAfterMs: z.number().int().positive().default(5000),
});

export type ResilienceOptions = z.input<typeof resilienceOptionsSchema>;
export type ResolvedResilienceOptions = z.output<typeof resilienceOptionsSchema>;
