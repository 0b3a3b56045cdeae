import * as z from 'zod';

/** Resolutions history is kept at, seconds: 10 s for 24 h, 1 min for 7 days, 1 h for 90 days. */
export const HISTORY_RESOLUTIONS_S = [10, 60, 3_600] as const;
/** How long each resolution is kept, ms. */
export const HISTORY_RETENTION_MS = { 10: 86_400_000, 60: 7 * 86_400_000, 3600: 90 * 86_400_000 } as const;
/** Most points one answer carries (all series together); a wider range needs a larger `step`. */
export const HISTORY_MAX_POINTS = 20_000;
/** Most series one answer carries (desks or nodes). */
export const HISTORY_MAX_SERIES = 200;

/** Node figures (one series per node) and desk figures (one series per desk). */
export const NODE_METRICS = [
  'messages_per_sec',
  'messages_per_sec:check_in',
  'messages_per_sec:check_out',
  'messages_per_sec:member_create',
  'messages_per_sec:member_update',
  'messages_per_sec:member_renew',
  'messages_per_sec:member_unfreeze',
  'messages_per_sec:client_stats',
  'ack_p50_ms',
  'ack_p99_ms',
  'connections',
  'queue_bytes',
  'events_dropped',
  'occupancy',
] as const;
export const DESK_METRICS = [
  'desk_quality',
  'desk_latency_p50_ms',
  'desk_latency_p95_ms',
  'desk_reconnects',
  'desk_errors',
  'desk_pending',
  'desk_online',
  /** 1 per node a desk has a socket on (desk and node set): how every node knows where a desk is. */
  'desk_connected',
] as const;
export const HISTORY_METRICS = [...NODE_METRICS, ...DESK_METRICS] as const;
export type HistoryMetric = (typeof HISTORY_METRICS)[number];
export const HistoryMetricName = z.enum(HISTORY_METRICS);

const Name = z.string().regex(/^[\w:.-]{1,128}$/, 'letters, digits and : . - _ (1-128)');
const Ms = z.coerce.number().int().min(0).max(8_640_000_000_000);

/**
 * `GET /api/history` query: one metric over `[from, to)` (epoch ms; default the last hour),
 * for one desk or node or all of them, at `step` seconds (10, 60, 3600 or a multiple;
 * default: the finest kept resolution that fits {@link HISTORY_MAX_POINTS}).
 */
export const HistoryQuery = z
  .strictObject({
    /** Default `desk_quality`: every desk's quality, the monitor's first chart. */
    metric: HistoryMetricName.default('desk_quality'),
    desk: Name.optional(),
    node: Name.optional(),
    from: Ms.optional(),
    to: Ms.optional(),
    step: z.coerce.number().int().min(10).max(86_400).optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, 'from must be before to');
export type HistoryQuery = z.output<typeof HistoryQuery>;

/** One series: `points` are `[at, value]`, `at` the start of each step (epoch ms), oldest first. */
export const HistorySeries = z.object({
  desk: z.string().nullable(),
  node: z.string().nullable(),
  points: z.array(z.tuple([z.number(), z.number()])),
});
export type HistorySeries = z.infer<typeof HistorySeries>;

/** `GET /api/history` answer. */
export const HistoryDocument = z.object({
  metric: HistoryMetricName,
  from: z.number(),
  to: z.number(),
  /** The stored resolution read, seconds. */
  resolutionS: z.number().int().positive(),
  /** The step of the points, seconds (a multiple of the resolution). */
  stepS: z.number().int().positive(),
  series: z.array(HistorySeries),
});
export type HistoryDocument = z.infer<typeof HistoryDocument>;

/** One node of the cluster: its name and when it last sampled itself (`GET /api/nodes`). */
export const NodeInfo = z.object({
  node: z.string(),
  lastSeenAt: z.number(),
  /** True when it sampled within three sample periods. */
  up: z.boolean(),
  /** This answer came from this node. */
  self: z.boolean(),
});
export const NodeList = z.object({ nodes: z.array(NodeInfo) });
export type NodeList = z.infer<typeof NodeList>;
