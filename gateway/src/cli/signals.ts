/**
 * When `openclaw start` should stop: the first SIGINT or SIGTERM (or, in a worker, the
 * primary's request). Listening replaces Node's default (exit at once), so a second signal
 * while the gateway closes still ends the process, with 130.
 */
import type { TextSink } from './io.js';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Why the process is stopping: a signal, or (in a worker) the primary asking. */
export type StopReason = NodeJS.Signals | 'primary';

/** A pending stop. */
export interface ShutdownListener {
  /** Resolves with the first reason to stop. */
  readonly received: Promise<StopReason>;
  /** Resolves the stop from elsewhere (a worker's message from the primary). */
  stop(reason: StopReason): void;
  /** Removes the signal handlers. */
  dispose(): void;
}

/**
 * Starts listening for SIGINT/SIGTERM. The first one resolves `received`; a second *signal*
 * writes a line on `stderr` and calls `onSecondSignal` (default: exit 130 at once). `stop()`
 * resolves `received` too but is not a signal: a worker that the primary asked to stop and
 * that then gets the terminal's Ctrl-C itself (the whole process group gets it) still closes
 * cleanly.
 */
export function listenForShutdown(stderr: TextSink, onSecondSignal: () => void = () => process.exit(130)): ShutdownListener {
  let stopping = false;
  let signals = 0;
  let settle: (reason: StopReason) => void = () => undefined;
  const received = new Promise<StopReason>((resolve) => {
    settle = resolve;
  });
  const stop = (reason: StopReason): void => {
    if (stopping) return;
    stopping = true;
    settle(reason);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals === 1) return stop(signal);
    stderr.write(`Received ${signal} again; exiting without waiting for the gateway to close.\n`);
    onSecondSignal();
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return { received, stop, dispose: () => SIGNALS.forEach((signal) => process.off(signal, onSignal)) };
}
