/**
 * One call's signal: aborted when the call's timeout passes or when the client's request
 * ends, whichever comes first. Written with one AbortController and one timer per call, and
 * the listener on the request's signal removed when the call settles, so nothing outlives the
 * call (composed signals and `AbortSignal.timeout` have kept memory alive in Node gateways).
 */

/** The signal of one upstream call and what ended it. */
export interface CallDeadline {
  readonly signal: AbortSignal;
  /** True when the timeout (not the client) ended the call. */
  timedOut(): boolean;
  /** Clears the timer and the listener; call it once the call has settled. */
  done(): void;
}

/** A deadline of `timeoutMs`, also ended by `requestSignal`. */
export function callDeadline(timeoutMs: number, requestSignal: AbortSignal | undefined): CallDeadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new Error(`timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  const onAbort = (): void => controller.abort(requestSignal?.reason);
  if (requestSignal?.aborted) controller.abort(requestSignal.reason);
  else requestSignal?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => expired,
    done() {
      clearTimeout(timer);
      requestSignal?.removeEventListener('abort', onAbort);
    },
  };
}
