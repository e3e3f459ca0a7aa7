/**
 * Structured logs: one JSON object per line, with a level, a message and fields (request id,
 * source, error code). Apollo Server takes the same logger.
 */

import type { LogLevel } from '../config/types.js';

export type { LogLevel };

/** The logger every part of the gateway writes to. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** A JSON-lines logger writing records at `level` or above to `write` (stderr by default). */
export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const log = (recordLevel: Exclude<LogLevel, 'silent'>) => (message: string, fields?: Record<string, unknown>) => {
    if (RANK[recordLevel] < RANK[level]) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level: recordLevel, msg: message, ...fields })}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
