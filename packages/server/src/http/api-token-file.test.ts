import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../config.js';
import { readApiTokenFile } from './api-token-file.js';

describe('readApiTokenFile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'av-gym-tokens-'));
  const file = path.join(dir, 'tokens');
  afterEach(() => rmSync(file, { force: true }));

  it('reads one token per line, skipping blanks and # comments', () => {
    writeFileSync(file, '# desks\nfront-desk-token-0001\n\n  back-office-token-0002  \r\n');
    expect(readApiTokenFile(file)).toEqual(['front-desk-token-0001', 'back-office-token-0002']);
  });

  it('names the line of a token that is too short', () => {
    writeFileSync(file, 'front-desk-token-0001\nshort\n');
    expect(() => readApiTokenFile(file)).toThrow(/AV_GYM_TOKENS_FILE: line 2 .* shorter than 16/);
  });

  it('throws a ConfigError for a missing file', () => {
    expect(() => readApiTokenFile(path.join(dir, 'missing'))).toThrow(ConfigError);
  });
});
