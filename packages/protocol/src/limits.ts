/** Wire limits a server announces in `welcome.limits`; these are the defaults. */
export interface Limits {
  /** Largest frame the server reads; a larger one closes the connection with 1009. */
  maxFrameBytes: number;
  /** Most logical messages in one `batch` frame; more gets `BATCH_TOO_LARGE`. */
  maxBatchSize: number;
  /** Most batches a client may have sent and not yet seen acked. */
  maxInFlight: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxFrameBytes: 1024 * 1024,
  maxBatchSize: 500,
  maxInFlight: 16,
});

/** The first frame must be `hello` within this many ms, else close 4408. */
export const HELLO_TIMEOUT_MS = 5_000;

/** Longest `id` of a logical message (a ULID is 26, a UUID 36). */
export const MAX_MESSAGE_ID_LENGTH = 64;

/**
 * Deepest nesting of `{` / `[` a frame may have, counting the frame's own object (so a batch
 * item's `data` may nest 27 levels). Deeper frames get `BAD_FRAME` before they are parsed, so
 * nothing downstream (schema checks, `JSON.stringify`) can run out of stack on them.
 */
export const MAX_JSON_DEPTH = 32;

/** Latest instant an `EpochMs` may name: 2200-01-01T00:00:00Z (`Date` itself ends at 275760). */
export const MAX_EPOCH_MS = Date.UTC(2200, 0, 1);

/** Years an `IsoDate` may be in, inclusive. */
export const ISO_DATE_YEARS = Object.freeze({ min: 1900, max: 2200 });

/**
 * How far a client-given time (`check_in.at`, `check_out.at`) may lie from the server's clock
 * when the message is applied; outside it the message is refused `VALIDATION_FAILED`. These are
 * the defaults: 5 min ahead (clock skew), 7 days behind (a desk that was offline for a week).
 */
export interface ClientTimeWindow {
  maxFutureMs: number;
  maxPastMs: number;
}

export const DEFAULT_CLIENT_TIME_WINDOW: Readonly<ClientTimeWindow> = Object.freeze({
  maxFutureMs: 5 * 60_000,
  maxPastMs: 7 * 24 * 3_600_000,
});

/** Largest `client_stats` data the server keeps, as JSON after unknown fields are stripped. */
export const MAX_CLIENT_STATS_BYTES = 4096;

/** Most keys in a free-form `client_stats` record (`batching`). */
export const MAX_CLIENT_STATS_KEYS = 32;
