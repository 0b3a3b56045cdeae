import * as z from 'zod';
import { MAX_CLIENT_STATS_BYTES, MAX_CLIENT_STATS_KEYS } from '../limits.js';
import { utf8Length } from '../utf8.js';
import { Line } from './common.js';

/** A reported figure (score, ratio, average): finite, within +-1e12. */
const Figure = z.number().min(-1e12).max(1e12);
/** A duration in ms: 0 to 1e9 (about 11 days). */
const Ms = z.number().min(0).max(1e9);
/** A counter: a whole number from 0 to 1e12. */
const Count = z.number().int().min(0).max(1e12);

/** Free-form figures (`batching`): at most 32 keys of 1-64 characters, each a figure, a short string or a flag. */
const FigureRecord = z
  .record(Line(1, 64), z.union([Figure, Line(0, 64), z.boolean()]))
  .refine((r) => Object.keys(r).length <= MAX_CLIENT_STATS_KEYS, `at most ${MAX_CLIENT_STATS_KEYS} keys`);

/**
 * `client_stats`: a desk's own metrics snapshot, for the server's fleet view. Low priority,
 * droppable. Every field is optional and bounded; unknown fields are stripped (a newer client
 * may report more), and what is kept is at most {@link MAX_CLIENT_STATS_BYTES} as JSON.
 */
export const ClientStatsData = z
  .object({
    state: Line(1, 32).optional(),
    quality: z.object({ score: Figure, latency: Figure, dropRate: Figure, stability: Figure }).optional(),
    latencyMs: z.object({ avg: Ms, p50: Ms, p95: Ms }).partial().optional(),
    reconnects: Count.optional(),
    batching: FigureRecord.optional(),
    messages: z
      .object({ sent: Count, acked: Count, rejected: Count, errors: Count, retries: Count, pending: Count })
      .partial()
      .optional(),
    userAgent: Line(0, 300).optional(),
  })
  .refine(
    (data) => utf8Length(JSON.stringify(data)) <= MAX_CLIENT_STATS_BYTES,
    `at most ${MAX_CLIENT_STATS_BYTES} bytes as JSON`,
  );
export type ClientStatsData = z.infer<typeof ClientStatsData>;
