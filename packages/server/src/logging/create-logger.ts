import { type DestinationStream, type Logger, pino } from 'pino';
import { PinoPretty } from 'pino-pretty';

/** LOG_FORMAT: `auto` (pretty on a terminal, JSON otherwise), `json`, or `pretty`. */
export type LogFormat = 'auto' | 'json' | 'pretty';
export const LOG_FORMATS: readonly LogFormat[] = ['auto', 'json', 'pretty'];

export interface CreateLoggerOptions {
  level: string;
  /** Default `auto`. */
  format?: LogFormat;
  /** Whether the destination is a terminal (main.ts passes `process.stdout.isTTY`); decides `auto`. */
  isTty?: boolean;
  /** Where lines go. Default stdout. */
  destination?: DestinationStream | NodeJS.WritableStream;
  /** Fields on every line, e.g. `{ node }`. */
  base?: Record<string, unknown>;
}

/** What `auto` becomes: pretty on a terminal, JSON for files, pipes and collectors. */
export function resolveLogFormat(format: LogFormat, isTty: boolean): 'json' | 'pretty' {
  if (format === 'auto') return isTty ? 'pretty' : 'json';
  return format;
}

/**
 * The server's logger: pino with ISO-8601 timestamps (`"time":"2026-12-01T14:31:34.120Z"`), JSON
 * lines by default and `pino-pretty` for people (colours only on a terminal).
 * @example
 * const logger = createLogger({ level: 'info', format: 'auto', isTty: process.stdout.isTTY });
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const isTty = options.isTty ?? false;
  const format = resolveLogFormat(options.format ?? 'auto', isTty);
  const settings = {
    level: options.level,
    timestamp: pino.stdTimeFunctions.isoTime,
    base: { pid: process.pid, ...options.base },
  };
  if (format === 'pretty') {
    const stream = PinoPretty({
      colorize: isTty,
      sync: true,
      translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l o',
      ignore: 'pid,hostname',
      ...(options.destination ? { destination: options.destination } : {}),
    });
    return pino(settings, stream);
  }
  return options.destination ? pino(settings, options.destination as DestinationStream) : pino(settings);
}
