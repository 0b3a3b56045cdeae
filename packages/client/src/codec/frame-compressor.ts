/**
 * Raw DEFLATE (RFC 1951) of a frame's UTF-8 bytes, sync or async. In Node tests and load
 * generators a sync one is cheapest: `(b) => zlib.deflateRawSync(b, { level: 1 })`.
 */
export type Compressor = (data: Uint8Array) => Uint8Array | Promise<Uint8Array>;

type StreamCtor = new (
  format: 'deflate-raw',
) => {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
};

/**
 * The platform's compressor: `CompressionStream('deflate-raw')` (browsers, Node 20), async;
 * undefined where it is missing or lacks `deflate-raw`.
 */
export function streamCompressor(): Compressor | undefined {
  const g = globalThis as { CompressionStream?: StreamCtor; Response?: typeof Response };
  const Ctor = g.CompressionStream;
  if (typeof Ctor !== 'function' || typeof g.Response !== 'function') return undefined;
  try {
    new Ctor('deflate-raw');
  } catch {
    return undefined;
  }
  return async (data) => {
    const stream = new Ctor('deflate-raw');
    const writer = stream.writable.getWriter();
    // failures surface through the readable side; these two must not go unhandled
    writer.write(data).catch(() => {});
    writer.close().catch(() => {});
    return new Uint8Array(await new Response(stream.readable).arrayBuffer());
  };
}

/** True when `value` is a promise (or any thenable): the compressor is async. */
export function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
