/**
 * The state behind {@link RunningSubgraph}'s test hooks: the call record and the failure mode.
 * Each protocol's server consults it on every request, so the hooks behave the same everywhere.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SLOW_MS } from './running.js';
import type { CallRecord, FailureMode, RecordingOptions, RunningSubgraph } from './running.js';

/** Reads one request header (gRPC: metadata) by lower-case name; undefined when absent. */
export type HeaderReader = (name: string) => string | undefined;

/** Call record, failure switch and the pending `slow` waits of one backend. */
export class CallLog {
  /** Every request received, in order; shared by reference with the RunningSubgraph. */
  readonly calls: CallRecord[] = [];
  #mode: FailureMode = null;
  // Aborted on close so that requests parked in `slow` mode do not keep the process alive
  // for two more seconds after the server is gone.
  readonly #closing = new AbortController();
  readonly #recordHeaders: readonly string[];

  constructor(options: RecordingOptions = {}) {
    this.#recordHeaders = (options.recordHeaders ?? []).map((name) => name.toLowerCase());
  }

  /** The failure mode requests should honour now. */
  get mode(): FailureMode {
    return this.#mode;
  }

  /**
   * Appends one call; `detail` is omitted from the record when undefined. With `header` (how
   * the protocol reads a request's headers), the headers this log was asked to record are kept
   * in the call's `headers`.
   */
  record(operation: string, detail?: unknown, header?: HeaderReader): void {
    const call: CallRecord = detail === undefined ? { operation } : { operation, detail };
    if (this.#recordHeaders.length > 0 && header !== undefined) {
      const headers: Record<string, string> = {};
      for (const name of this.#recordHeaders) {
        const value = header(name);
        if (value !== undefined) headers[name] = value;
      }
      call.headers = headers;
    }
    this.calls.push(call);
  }

  /** Empties the record in place, so references handed out earlier stay valid. */
  resetCalls(): void {
    this.calls.length = 0;
  }

  /** Sets the failure mode for the requests that arrive from now on. */
  failWith(mode: FailureMode): void {
    this.#mode = mode;
  }

  /**
   * In `slow` mode waits {@link SLOW_MS}; otherwise returns at once. Resolves `false` when the
   * backend closed meanwhile: the caller then answers nothing, its socket is already gone.
   */
  async delayIfSlow(): Promise<boolean> {
    if (this.#mode !== 'slow') return true;
    try {
      await sleep(SLOW_MS, undefined, { signal: this.#closing.signal });
      return true;
    } catch {
      return false;
    }
  }

  /** Releases requests parked in `slow` mode; called by close(). */
  shutdown(): void {
    this.#closing.abort();
  }

  /** The backend as tests see it: this log's hooks plus a close that also ends `slow` waits. */
  running(name: string, url: string, stop: () => Promise<void>, connectionCount?: () => number): RunningSubgraph {
    return {
      name,
      url,
      ...(connectionCount ? { connectionCount } : {}),
      calls: this.calls,
      resetCalls: () => this.resetCalls(),
      failWith: (mode) => this.failWith(mode),
      close: async () => {
        this.shutdown();
        await stop();
      },
    };
  }
}
