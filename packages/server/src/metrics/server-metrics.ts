import { RateWindow } from './rate-window.js';

/** The gateway's own figures, for `/api/stats`. Cheap to update on every frame. */
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
  connectionsOpen = 0;
  connectionsTotal = 0;
  closesByCode = new Map<number, number>();

  constructor(now: () => number) {
    this.startedAt = now();
    this.framesIn = new RateWindow(now);
    this.framesOut = new RateWindow(now);
    this.messagesIn = new RateWindow(now);
    this.bytes = new RateWindow(now);
    this.events = new RateWindow(now);
    this.compressed = new RateWindow(now);
  }

  frameIn(type: string, bytes: number): void {
    this.framesIn.add(type);
    this.bytes.add('in', bytes);
  }

  /** Counts a frame sent; its bytes are counted as each socket write happens ({@link bytesOut}). */
  frameOut(type: string, n = 1): void {
    this.framesOut.add(type, n);
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

  messageIn(type: string, n: number): void {
    this.messagesIn.add(type, n);
  }

  reject(code: string, n = 1): void {
    this.gatewayRejections.set(code, (this.gatewayRejections.get(code) ?? 0) + n);
  }

  closed(code: number): void {
    this.closesByCode.set(code, (this.closesByCode.get(code) ?? 0) + 1);
  }
}
