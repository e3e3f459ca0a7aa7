/**
 * Logs: records with a level, a message and fields (request id, source, error code), written
 * on stderr as JSON lines for machines or as one readable line each for people. `auto` picks
 * text when the destination is a terminal and JSON otherwise, as Apollo Router does. Apollo
 * Server takes the same logger.
 */

import type { LogFormat, LogLevel } from '../config/types.js';

export type { LogFormat, LogLevel };

/** The logger every part of the gateway writes to. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Where log lines go: a stream (its `isTTY` decides `auto`) or anything with `write`. */
export interface LogDestination {
  write(line: string): unknown;
  isTTY?: boolean;
}

/** What `createLogger` takes. */
export interface LoggerOptions {
  /** Least severe level written. */
  level: LogLevel;
  /** `json`, `text`, or `auto` (the default): text on a terminal, JSON otherwise. */
  format?: LogFormat;
  /** Default `process.stderr`. */
  destination?: LogDestination;
  /** Fields put on every record (for example `{ worker: 2 }`). */
  fields?: Record<string, unknown>;
  /** Colour the level in text. Default: when the destination is a terminal and `NO_COLOR` is unset. */
  color?: boolean;
}

type RecordLevel = Exclude<LogLevel, 'silent'>;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const LABEL: Record<RecordLevel, string> = { debug: 'DEBUG', info: 'INFO ', warn: 'WARN ', error: 'ERROR' };
// ANSI colours: debug dim, info green, warn yellow, error red.
const COLOR: Record<RecordLevel, string> = { debug: '\u001b[2m', info: '\u001b[32m', warn: '\u001b[33m', error: '\u001b[31m' };
const RESET = '\u001b[0m';
const BARE = /^[^\s"=]+$/;

/** A field's value in text: bare when it reads unambiguously, else as JSON. */
function textValue(value: unknown): string {
  if (typeof value === 'string') return BARE.test(value) ? value : JSON.stringify(value);
  if (value instanceof Error) return JSON.stringify(value.message);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * One record as a line of text: `time LEVEL message key=value ...`. A multi-line string field
 * (a stack trace) follows on its own indented lines, so the first line stays one record.
 */
export function formatText(time: Date, level: RecordLevel, message: string, fields: Record<string, unknown>, color: boolean): string {
  const label = color ? `${COLOR[level]}${LABEL[level]}${RESET}` : LABEL[level];
  let line = `${time.toISOString()} ${label} ${message}`;
  const blocks: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (typeof value === 'string' && value.includes('\n')) blocks.push(`  ${key}:\n${value.replace(/^/gm, '    ')}`);
    else line += ` ${key}=${textValue(value)}`;
  }
  return `${[line, ...blocks].join('\n')}\n`;
}

/** One record as a JSON line: `{"time", "level", "msg", ...fields}`. */
export function formatJson(time: Date, level: RecordLevel, message: string, fields: Record<string, unknown>): string {
  return `${JSON.stringify({ time: time.toISOString(), level, msg: message, ...fields })}\n`;
}

/** `auto` made concrete for a destination: text on a terminal, JSON otherwise. */
export function effectiveFormat(format: LogFormat, destination: LogDestination): 'json' | 'text' {
  if (format !== 'auto') return format;
  return destination.isTTY === true ? 'text' : 'json';
}

function fromLegacy(options: LogLevel | LoggerOptions, write: ((line: string) => void) | undefined): LoggerOptions {
  if (typeof options !== 'string') return options;
  // createLogger(level, write): JSON lines to `write`, as before formats existed.
  return write === undefined ? { level: options } : { level: options, format: 'json', destination: { write } };
}

/**
 * A logger writing records at `level` or above, in `format`, to `destination` (stderr by
 * default). `createLogger(level, write)` is the short form: JSON lines to `write`, or, without
 * `write`, the `auto` format on stderr.
 */
export function createLogger(options: LogLevel | LoggerOptions, write?: (line: string) => void): Logger {
  const resolved = fromLegacy(options, write);
  const { level, format = 'auto', destination = process.stderr, fields: bound = {} } = resolved;
  const text = effectiveFormat(format, destination) === 'text';
  const color = resolved.color ?? (destination.isTTY === true && !process.env.NO_COLOR);
  const log = (recordLevel: RecordLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (RANK[recordLevel] < RANK[level]) return;
    const all = { ...bound, ...fields };
    const time = new Date();
    destination.write(text ? formatText(time, recordLevel, message, all, color) : formatJson(time, recordLevel, message, all));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
