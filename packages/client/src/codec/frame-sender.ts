import type { Clock } from '../clock.js';
import type { CompressionPolicy } from './compression-policy.js';
import { type Compressor, isThenable } from './frame-compressor.js';

/** Where the sender writes: the current socket (the session). */
export interface FrameSink {
  /** Writes one frame on the current socket; false when there is none or it refused. */
  send(data: string | Uint8Array): boolean;
  /** Gives up on the socket after a failed write (it reconnects). */
  drop(reason: string): void;
}

/** What went on the wire, as the sender counts it; cumulative until `resetStats`. */
export interface WireStats {
  /** Bytes of every frame handed to the sender, compressed frames at their compressed size. */
  bytesSent: number;
  /** Frames sent compressed (`deflate-raw`). */
  compressedFrames: number;
  /** JSON bytes of the compressed frames, and what they took on the wire. */
  compressedJsonBytes: number;
  compressedWireBytes: number;
  /** `compressedWireBytes / compressedJsonBytes` (0.3 = 70% smaller); 1 when none was compressed. */
  compressionRatio: number;
}

type Payload = string | Uint8Array;
const encoder = new TextEncoder();

/**
 * Writes message frames on the socket in the order they were given, compressing those the
 * {@link CompressionPolicy} picks once `deflate-raw` is negotiated. With an async compressor a
 * later frame (even a small text one) waits for the earlier ones, so none overtakes another.
 * `reset` (connection lost) voids frames still waiting: the outbox resends their messages.
 */
export class FrameSender {
  readonly #clock: Clock;
  readonly #policy: CompressionPolicy;
  readonly #compress: Compressor | undefined;
  readonly #sink: FrameSink;
  #bytesSent = 0;
  #compressedFrames = 0;
  #compressedJsonBytes = 0;
  #compressedWireBytes = 0;
  #negotiated = false;
  #enabled = true;
  #epoch = 0;
  #tail: Promise<void> | undefined;

  constructor(clock: Clock, policy: CompressionPolicy, compress: Compressor | undefined, sink: FrameSink) {
    this.#clock = clock;
    this.#policy = policy;
    this.#compress = compress;
    this.#sink = sink;
  }

  stats(): WireStats {
    const json = this.#compressedJsonBytes;
    return {
      bytesSent: this.#bytesSent,
      compressedFrames: this.#compressedFrames,
      compressedJsonBytes: json,
      compressedWireBytes: this.#compressedWireBytes,
      compressionRatio: json === 0 ? 1 : this.#compressedWireBytes / json,
    };
  }

  /** Zeroes the counters (each stats window). */
  resetStats(): void {
    this.#bytesSent = 0;
    this.#compressedFrames = 0;
    this.#compressedJsonBytes = 0;
    this.#compressedWireBytes = 0;
  }

  /** The codec the server chose for this connection (`welcome.codec`). */
  setCodec(codec: string | undefined): void {
    this.#negotiated = codec === 'deflate-raw';
  }

  /** Compression on (default) or off, e.g. with the optimization toggle. */
  setEnabled(enabled: boolean): void {
    this.#enabled = enabled;
  }

  /** True while an async compression holds frames back. */
  get waiting(): boolean {
    return this.#tail !== undefined;
  }

  /** Voids frames still waiting for compression and forgets the codec (a new connection negotiates again). */
  reset(): void {
    this.#epoch++;
    this.#tail = undefined;
    this.#negotiated = false;
  }

  /**
   * Sends one frame: `text` is its JSON, `bytes` its UTF-8 length. It counts in `bytesSent` at
   * once (a frame later voided by `reset` included), at its compressed size once compressed.
   */
  send(text: string, bytes: number): void {
    this.#bytesSent += bytes;
    const compress =
      this.#compress !== undefined &&
      this.#negotiated &&
      this.#enabled &&
      this.#policy.shouldCompress(bytes, this.#clock.monotonicNow());
    const payload = compress ? this.#compressed(this.#compress as Compressor, text, bytes) : text;
    if (this.#tail === undefined && !isThenable(payload)) {
      this.#write(payload);
      return;
    }
    const epoch = this.#epoch;
    const tail: Promise<void> = Promise.all([this.#tail, payload]).then(([, data]) => {
      if (epoch === this.#epoch) this.#write(data);
    });
    this.#tail = tail;
    void tail.then(() => {
      if (this.#tail === tail) this.#tail = undefined;
    });
  }

  #write(data: Payload): void {
    if (!this.#sink.send(data)) this.#sink.drop('send failed');
  }

  /** The compressed bytes, or the text when compressing failed or did not make it smaller. */
  #compressed(compress: Compressor, text: string, bytes: number): Payload | Promise<Payload> {
    const startMs = this.#clock.monotonicNow();
    let out: Uint8Array | Promise<Uint8Array>;
    try {
      out = compress(encoder.encode(text));
    } catch {
      return text;
    }
    if (!isThenable(out)) return this.#measured(text, bytes, out, startMs);
    return out.then(
      (data) => this.#measured(text, bytes, data, startMs),
      () => text,
    );
  }

  #measured(text: string, bytes: number, data: Uint8Array, startMs: number): Payload {
    const nowMs = this.#clock.monotonicNow();
    this.#policy.record(bytes, data.byteLength, nowMs - startMs, nowMs);
    if (data.byteLength >= bytes) return text;
    this.#bytesSent -= bytes - data.byteLength;
    this.#compressedFrames++;
    this.#compressedJsonBytes += bytes;
    this.#compressedWireBytes += data.byteLength;
    return data;
  }
}
