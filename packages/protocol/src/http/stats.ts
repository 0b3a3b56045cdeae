import * as z from 'zod';

/** Default and largest `limit` of the fleet page of `/api/stats`. */
export const FLEET_PAGE = { defaultLimit: 50, maxLimit: 500 } as const;

/** `GET /api/stats` query: which page of the fleet of desks to list (`limit` 1-500, default 50; `offset` from 0). */
export const StatsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(FLEET_PAGE.maxLimit).default(FLEET_PAGE.defaultLimit),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type StatsQuery = z.output<typeof StatsQuery>;

const Count = z.number().int().nonnegative();
const Rate = z.number().nonnegative();
/** Figures keyed by an open set of names (message types, codes, frame types): name -> value. */
const Figures = (value: z.ZodType<number>) => z.record(z.string(), value);

/** One desk of the fleet view. */
export const FleetEntry = z.object({
  clientId: z.string(),
  /** When the server stored the desk's last report (epoch ms). */
  receivedAt: Count,
  connected: z.boolean(),
  /** Connection quality score 0-100 the desk reported, if any. */
  quality: z.number().nullable(),
  /** Average latency the desk measured, if any. */
  latencyMs: z.number().nullable(),
  /** What the desk reported (its `client_stats` data); `{}` when it was larger than the per-desk cap. */
  stats: z.record(z.string(), z.unknown()),
  /** True when `stats` was left out for its size (STATS_ENTRY_MAX_BYTES). */
  statsOmitted: z.boolean(),
});
export type FleetEntry = z.infer<typeof FleetEntry>;

/** The page of `fleet`: all desks that reported (`total`), and which of them are listed. */
export const FleetPageInfo = z.object({ total: Count, offset: Count, limit: Count });
export type FleetPageInfo = z.infer<typeof FleetPageInfo>;

/** `GET /api/stats` answer: the server's own figures (rates over a sliding `windowSeconds` window) and a page of the fleet. */
export const StatsDocument = z.object({
  serverTime: Count,
  uptimeMs: z.number(),
  windowSeconds: z.number().positive(),
  connections: z.object({ open: Count, total: Count }),
  /** Frames per second by frame type. */
  framesPerSecond: z.object({ in: Figures(Rate), out: Figures(Rate) }),
  /** Messages per second by message type. */
  messagesPerSecond: Figures(Rate),
  messagesTotal: Figures(Count),
  /** Batch handling durations (ms) over a recent window, and the consumer's counters. */
  batchHandling: z.object({
    p50Ms: z.number().nonnegative(),
    p99Ms: z.number().nonnegative(),
    count: Count,
    batches: Count,
    transactions: Count,
  }),
  /** Refusals by code: messages (in acks) and frames or connections refused by the gateway. */
  rejectedByCode: Figures(Count),
  /** Outbound bytes queued: on the fullest connection, and over all of them. */
  queues: z.object({ outboundMaxBytes: Count, outboundTotal: Count }),
  bytes: z.object({
    in: Count,
    out: Count,
    inPerSecond: Rate,
    outPerSecond: Rate,
    /** Binary `deflate-raw` frames in: their wire bytes (part of `in`), inflated bytes, wire/inflated. */
    compressedFramesIn: Count,
    compressedIn: Count,
    inflatedIn: Count,
    compressionRatio: z.number().nonnegative(),
  }),
  events: z.object({
    eventSeq: Count,
    published: Count,
    fannedOut: Count,
    fannedOutPerSecond: Rate,
    dropped: Count,
  }),
  /** WebSocket closes by close code (`other` for codes outside the known set). */
  closesByCode: Figures(Count),
  consumer: z.object({
    messagesByType: z.record(z.string(), z.object({ accepted: Count, duplicates: Count, rejected: Count })),
  }),
  fleet: z.array(FleetEntry),
  fleetPage: FleetPageInfo,
});
export type StatsDocument = z.infer<typeof StatsDocument>;
