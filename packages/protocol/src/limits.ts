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
