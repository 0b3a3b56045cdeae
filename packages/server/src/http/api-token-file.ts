import { readFileSync } from 'node:fs';
import { ConfigError } from '../config.js';

/** The shortest API token accepted (as for AV_GYM_TOKENS). */
const MIN_TOKEN_CHARS = 16;
/** A tokens file larger than this is refused: it is a list of secrets, not a data file. */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * The API tokens in the file at `file`: one per line; blank lines and lines starting with `#`
 * are skipped. Throws {@link ConfigError} (one line naming AV_GYM_TOKENS_FILE) when the file
 * cannot be read or a token is shorter than 16 characters.
 * @example
 * const tokens = readApiTokenFile('/etc/av-gym/tokens');
 */
export function readApiTokenFile(file: string): string[] {
  let text: string;
  try {
    const buffer = readFileSync(file);
    if (buffer.length > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES} bytes`);
    text = buffer.toString('utf8');
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ConfigError(
      'AV_GYM_TOKENS_FILE',
      `AV_GYM_TOKENS_FILE: cannot read ${file} (${why}); fix the path`,
    );
  }
  const tokens: string[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.length < MIN_TOKEN_CHARS) {
      throw new ConfigError(
        'AV_GYM_TOKENS_FILE',
        `AV_GYM_TOKENS_FILE: line ${i + 1} of ${file} is shorter than ${MIN_TOKEN_CHARS} characters; use longer tokens`,
      );
    }
    tokens.push(line);
  }
  return tokens;
}
