/**
 * Raw-DEFLATE inflater (RFC 1951) for the binary ack frames of the `compact-deflate` ack format:
 * synchronous, so frames are read in arrival order. It should bound its output (a hostile
 * server's "zip bomb"); throwing makes the client ignore that frame. Node: `inflateRaw` from
 * `@av-gym/client/node`.
 */
export type Inflater = (data: Uint8Array) => Uint8Array;

const decoder = new TextDecoder();

/** The JSON text of a binary frame (`ArrayBuffer` or `Uint8Array`), or undefined when it cannot be read. */
export function inflateText(data: unknown, inflate: Inflater | undefined): string | undefined {
  if (inflate === undefined) return undefined;
  const bytes =
    data instanceof Uint8Array ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : undefined;
  if (bytes === undefined) return undefined;
  try {
    return decoder.decode(inflate(bytes));
  } catch {
    return undefined;
  }
}
