import * as z from 'zod';

/** `client_stats`: a desk's own metrics snapshot, for the server's fleet view. Low priority, droppable. */
export const ClientStatsData = z.looseObject({
  state: z.string().max(32).optional(),
  quality: z
    .object({
      score: z.number(),
      latency: z.number(),
      dropRate: z.number(),
      stability: z.number(),
    })
    .optional(),
  latencyMs: z.object({ avg: z.number(), p50: z.number(), p95: z.number() }).partial().optional(),
  reconnects: z.number().int().nonnegative().optional(),
  batching: z.record(z.string(), z.unknown()).optional(),
  userAgent: z.string().max(300).optional(),
});
export type ClientStatsData = z.infer<typeof ClientStatsData>;
