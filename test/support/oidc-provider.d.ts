// The few parts of oidc-provider (which ships no types) that test/support/oidc.ts uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface ProviderModelInstance {
    save(): Promise<string>;
  }
  export interface ProviderGrant extends ProviderModelInstance {
    addOIDCScope(scope: string): void;
    addResourceScope(resource: string, scope: string): void;
  }
  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: string, listener: (...args: unknown[]) => void): this;
    readonly Grant: new (fields: Record<string, unknown>) => ProviderGrant;
    readonly RefreshToken: new (fields: Record<string, unknown>) => ProviderModelInstance;
    readonly Client: { find(id: string): Promise<unknown> };
  }
}
