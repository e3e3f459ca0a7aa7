/**
 * OpenID Connect Discovery 1.0: the provider's metadata at
 * `<issuer>/.well-known/openid-configuration`, read for the endpoints the config does not
 * name (`jwks_uri`, `introspection_endpoint`, `token_endpoint`). Fetched once and kept; a failed
 * fetch is retried at most once per cooldown, so a provider that is down is not hammered.
 */
import type { Clock } from './clock.js';
import { callProvider, isJsonObject, ProviderCallError } from './provider-http.js';

/** The metadata fields the gateway uses. */
export interface ProviderMetadata {
  issuer: string;
  jwks_uri?: string;
  introspection_endpoint?: string;
  token_endpoint?: string;
  revocation_endpoint?: string;
}

/** Where discovery looks and how patiently. */
export interface DiscoveryOptions {
  issuer: string;
  timeoutMs: number;
  /** Least time between two attempts after a failure, in milliseconds. */
  cooldownMs: number;
  clock: Clock;
}

/** The discovery document's URL for `issuer` (OpenID Connect Discovery 1.0 §4). */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/** A provider's metadata, fetched on first use. */
export class Discovery {
  private metadata?: ProviderMetadata;
  private pending?: Promise<ProviderMetadata>;
  private failedAt = Number.NEGATIVE_INFINITY;
  private lastError?: ProviderCallError;

  constructor(private readonly options: DiscoveryOptions) {}

  /**
   * The metadata. Rejects with `ProviderCallError` when the document cannot be fetched, is not
   * JSON, or names another issuer than the configured one (§4.3: that would let one provider
   * speak for another). After a failure, calls within the cooldown reject at once.
   */
  async get(): Promise<ProviderMetadata> {
    if (this.metadata !== undefined) return this.metadata;
    if (this.pending !== undefined) return this.pending;
    if (this.lastError !== undefined && this.options.clock() - this.failedAt < this.options.cooldownMs) throw this.lastError;
    this.pending = this.fetch().then(
      (metadata) => {
        this.metadata = metadata;
        this.lastError = undefined;
        return metadata;
      },
      (error: unknown) => {
        this.failedAt = this.options.clock();
        this.lastError = error instanceof ProviderCallError ? error : new ProviderCallError(String(error), { cause: error });
        throw this.lastError;
      },
    );
    try {
      return await this.pending;
    } finally {
      this.pending = undefined;
    }
  }

  /** Lets the next `get` fetch at once even within the cooldown of a failure (after a warm-up). */
  forgetFailure(): void {
    this.lastError = undefined;
  }

  private async fetch(): Promise<ProviderMetadata> {
    const url = discoveryUrl(this.options.issuer);
    const answer = await callProvider({ url, timeoutMs: this.options.timeoutMs });
    if (answer.status !== 200 || !isJsonObject(answer.json)) {
      throw new ProviderCallError(`${url} answered ${answer.status} without a JSON discovery document.`);
    }
    const document = answer.json;
    if (document.issuer !== this.options.issuer) {
      throw new ProviderCallError(`${url} names the issuer ${JSON.stringify(document.issuer)}, not ${JSON.stringify(this.options.issuer)}.`);
    }
    const metadata: ProviderMetadata = { issuer: this.options.issuer };
    for (const key of ['jwks_uri', 'introspection_endpoint', 'token_endpoint', 'revocation_endpoint'] as const) {
      const value = document[key];
      if (typeof value === 'string' && URL.canParse(value)) metadata[key] = value;
    }
    return metadata;
  }
}
