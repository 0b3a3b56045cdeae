import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, resolveLogFormat } from './create-logger.js';

function sink() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('createLogger', () => {
  it('writes JSON lines with ISO timestamps and the base fields', () => {
    const out = sink();
    const logger = createLogger({
      level: 'info',
      format: 'json',
      destination: out.stream,
      base: { node: 'n1' },
    });
    logger.info({ desk: 'd1' }, 'hello');
    logger.debug('hidden at info');
    const lines = out.text().trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '');
    expect(line).toMatchObject({ msg: 'hello', desk: 'd1', node: 'n1', level: 30 });
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('writes readable lines in pretty format, without colours off a terminal', () => {
    const out = sink();
    const logger = createLogger({ level: 'debug', format: 'pretty', destination: out.stream });
    logger.warn({ desk: 'd1' }, 'desk offline');
    const text = out.text();
    expect(text).toContain('WARN');
    expect(text).toContain('desk offline');
    expect(text).toContain('desk: "d1"');
    expect(text).not.toContain('{"level"');
    expect(text.includes(String.fromCharCode(27))).toBe(false); // no ANSI colour codes
  });

  it('chooses pretty on a terminal and JSON elsewhere when auto', () => {
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('auto', false)).toBe('json');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });
});
