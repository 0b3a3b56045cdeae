import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes one source-map segment (base64 VLQ) into its numbers. */
export function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = BASE64.indexOf(ch);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

interface Mapping {
  column: number;
  source: string;
  line: number;
}

const cache = new Map<string, Mapping[][] | undefined>();

function load(jsFile: string): Mapping[][] | undefined {
  if (cache.has(jsFile)) return cache.get(jsFile);
  const mapFile = `${jsFile}.map`;
  let lines: Mapping[][] | undefined;
  if (existsSync(mapFile)) {
    const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[]; mappings: string };
    const sources = map.sources.map((s) => resolve(dirname(jsFile), s));
    let source = 0;
    let line = 0;
    lines = map.mappings.split(';').map((text) => {
      let column = 0;
      const out: Mapping[] = [];
      for (const segment of text.split(',')) {
        if (!segment) continue;
        const [dc = 0, ds, dl] = decodeVlq(segment);
        column += dc;
        if (ds === undefined || dl === undefined) continue;
        source += ds;
        line += dl;
        out.push({ column, source: sources[source] ?? '', line });
      }
      return out;
    });
  }
  cache.set(jsFile, lines);
  return lines;
}

/**
 * The original `file:line` (1-based) of a 0-based position in a compiled file that has a
 * `.js.map` beside it, or undefined.
 */
export function originalPosition(
  jsFile: string,
  line0: number,
  column0: number,
): { file: string; line: number } | undefined {
  const segments = load(jsFile)?.[line0];
  if (!segments || segments.length === 0) return undefined;
  let best = segments[0]!;
  for (const s of segments) if (s.column <= column0) best = s;
  return { file: best.source, line: best.line + 1 };
}
