import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ClientError, MessageBatcher, WebSocketService } from './index.js';

const SRC = path.dirname(fileURLToPath(import.meta.url));

function shippedFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'testing' ? [] : shippedFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !NODE_ONLY.has(e.name) ? [full] : [];
  });
}

/** The `@av-gym/client/node` entry and what only it imports: never reached from index.ts. */
const NODE_ONLY = new Set(['node.ts', 'journal-outbox-store.ts']);

describe('@av-gym/client entry', () => {
  it('exports the public face', () => {
    expect(typeof WebSocketService).toBe('function');
    expect(typeof MessageBatcher).toBe('function');
  });

  it('imports nothing Node-only, so it bundles for the browser', () => {
    const files = shippedFiles(SRC);
    expect(files.length).toBeGreaterThan(10);
    let seen = 0;
    for (const file of files) {
      const imports = [
        ...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\b[^;]*?from '([^']+)';/gm),
      ].map((m) => m[1] ?? '');
      seen += imports.length;
      for (const spec of imports) {
        expect(
          spec.startsWith('.') || spec === '@av-gym/protocol' || spec === 'idb',
          `${path.basename(file)} imports ${spec}`,
        ).toBe(true);
      }
    }
    expect(seen).toBeGreaterThan(50);
    const index = readFileSync(path.join(SRC, 'index.ts'), 'utf8');
    expect(index).not.toMatch(/journal-outbox-store|node\.js'/);
  });

  it('names the option to change when one is wrong', () => {
    const make = (o: Record<string, unknown>) => () =>
      new WebSocketService({ url: 'ws://h/ws', clientId: 'd', WebSocket: class {} as never, ...o });
    expect(make({ url: 'http://h' })).toThrow(/url must start with ws:\/\//);
    expect(make({ clientId: '' })).toThrow(/clientId/);
    expect(make({ pingIntervalMs: 0 })).toThrow(/pingIntervalMs must be a positive number, got 0/);
    try {
      make({ connectTimeoutMs: -1 })();
    } catch (error) {
      expect(error).toBeInstanceOf(ClientError);
      expect((error as ClientError).code).toBe('INVALID_OPTION');
    }
  });
});
