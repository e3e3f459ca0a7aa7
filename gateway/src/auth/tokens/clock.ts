/**
 * Time, injected: every expiry decision in tokens/ (token `exp`, JWKS age, cache lifetimes)
 * reads a `Clock`, so tests move time instead of sleeping.
 */

/** Milliseconds since the epoch, like `Date.now()`. */
export type Clock = () => number;

/** The real clock. */
export const systemClock: Clock = () => Date.now();
