import { metricLabels } from './metric-labels.js';
import { RateWindow } from './rate-window.js';

/** Why a connection was refused right after its upgrade (closed 1013). */
export type RefusalReason = 'node_cap' | 'preauth_per_ip';
/** Which budget a rate-limited frame or message ran out of. */
export type LimitScope = 'connection' | 'credential';
export type LimitUnit = 'frames' | 'messages';

/**
 * The gateway's own figures, for `/api/stats` and `/metrics`. Cheap to update on every frame.
 * Every key is a closed-set label ({@link metricLabels}): nothing a client sends names a series.
 */
export class ServerMetrics {
  readonly startedAt: number;
  readonly framesIn: RateWindow;
  readonly framesOut: RateWindow;
  readonly messagesIn: RateWindow;
  readonly bytes: RateWindow;
  readonly events: RateWindow;
  /** Binary (`deflate-raw`) frames in: `frames`, `wireBytes` (also counted in `bytes.in`) and `inflatedBytes`. */
  readonly compressed: RateWindow;
  /** Rejections and frame errors made by the gateway itself (the consumer counts its own). */
  readonly gatewayRejections = new Map<string, number>();
  /** Connections closed with 1013 at once, by reason. */
  readonly refusedConnections = new Map<RefusalReason, number>();
  /** Frames and messages refused RATE_LIMITED, by budget (`connection:frames`, `credential:messages`, ...). */
  readonly rateLimited = new Map<`${LimitScope}:${LimitUnit}`, number>();
  connectionsOpen = 0;
  connectionsTotal = 0;
  /** Closes by code; codes outside the protocol's set are counted as `other`. */
  closesByCode = new Map<number | 'other', number>();

  constructor(now: () => number) {
    this.startedAt = now();
    this.framesIn = new RateWindow(now);
    this.framesOut = new RateWindow(now);
    this.messagesIn = new RateWindow(now);
    this.bytes = new RateWindow(now);
    this.events = new RateWindow(now);
    this.compressed = new RateWindow(now);
  }

  /** Counts a frame received; `type` is the client's and is kept only when the protocol knows it. */
  frameIn(type: string, bytes: number): void {
    this.framesIn.add(metricLabels.clientFrame(type));
    this.bytes.add('in', bytes);
  }

  /** Counts a frame sent; its bytes are counted as each socket write happens ({@link bytesOut}). */
  frameOut(type: string, n = 1): void {
    this.framesOut.add(metricLabels.serverFrame(type), n);
  }

  /** A compressed frame inflated; its wire bytes are counted by {@link frameIn} once decoded. */
  compressedIn(wireBytes: number, inflatedBytes: number): void {
    this.compressed.add('frames');
    this.compressed.add('wireBytes', wireBytes);
    this.compressed.add('inflatedBytes', inflatedBytes);
  }

  bytesOut(bytes: number): void {
    this.bytes.add('out', bytes);
  }

  /** Counts logical messages received; an unknown `type` is counted as `unknown`. */
  messageIn(type: string, n: number): void {
    this.messagesIn.add(metricLabels.messageType(type), n);
  }

  reject(code: string, n = 1): void {
    const label = metricLabels.rejection(code);
    this.gatewayRejections.set(label, (this.gatewayRejections.get(label) ?? 0) + n);
  }

  /** A connection closed with 1013 right after its upgrade. */
  refused(reason: RefusalReason): void {
    this.refusedConnections.set(reason, (this.refusedConnections.get(reason) ?? 0) + 1);
  }

  /** Frames or messages refused RATE_LIMITED by one budget (also counted by {@link reject}). */
  limited(scope: LimitScope, unit: LimitUnit, n = 1): void {
    const key = `${scope}:${unit}` as const;
    this.rateLimited.set(key, (this.rateLimited.get(key) ?? 0) + n);
  }

  closed(code: number): void {
    const label = metricLabels.closeCode(code);
    this.closesByCode.set(label, (this.closesByCode.get(label) ?? 0) + 1);
  }
}
