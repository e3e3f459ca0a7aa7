/**
 * Test support: a real OpenID provider (the `oidc-provider` package) on a loopback port, for the
 * token tests. It issues JWT access tokens (for the resource `audience`) and opaque ones, runs
 * the client-credentials and refresh-token grants, introspection (RFC 7662) and revocation
 * (RFC 7009), and publishes its keys at `/jwks` through discovery. Tests can add a signing key
 * while it runs, take it down and bring it back on the same port, and count the requests each
 * endpoint received.
 *
 * Run-time changes of the key set build a new `Provider` over the same storage and swap it in
 * behind the same server: oidc-provider reads its keys once, at construction.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { Provider } from 'oidc-provider';

/** Signing algorithms the test provider can sign access tokens with. */
export type TestSigningAlg = 'RS256' | 'ES256' | 'PS256' | 'EdDSA';

/** A client registered at the provider. */
export interface TestClient {
  id: string;
  secret: string;
}

/** A user whose tokens the provider issues, with the extra claims put in their access tokens. */
export interface TestAccount {
  sub: string;
  /** Extra access-token claims, e.g. `{ amr: ['pwd', 'mfa'], acr: 'urn:mfa' }`. */
  claims?: Record<string, unknown>;
}

/** Options of `startOidcProvider`. */
export interface OidcProviderOptions {
  /** The resource (`aud`) JWT access tokens are issued for. Default `https://api.openclaw.test`. */
  audience?: string;
  /** Algorithm access tokens are signed with. Default `RS256`. */
  signingAlg?: TestSigningAlg;
  /** Lifetime of access tokens in seconds. Default 300. */
  accessTokenTtlSeconds?: number;
  /** Scopes the provider knows (besides openid and offline_access). Default orders:read orders:write. */
  scopes?: string[];
}

/** Answer of the provider's token endpoint, as received. */
export interface TokenEndpointAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** A running provider. */
export interface TestOidcProvider {
  /** The issuer (`iss`), `http://127.0.0.1:<port>`, also the base of discovery. */
  readonly issuer: string;
  readonly audience: string;
  /** URL of the JWKS document. */
  readonly jwksUrl: string;
  readonly tokenEndpoint: string;
  /** The gateway's own confidential client: introspection, refresh, revocation. */
  readonly gatewayClient: TestClient;
  /** A partner service using client credentials. */
  readonly serviceClient: TestClient;
  /** The `kid` access tokens are signed with right now. */
  readonly currentKid: string;
  /** A JWT access token from the client-credentials grant; `sub` is the client's id. */
  clientCredentialsToken(options?: { scope?: string; client?: TestClient }): Promise<string>;
  /**
   * An opaque access token from the client-credentials grant (introspect it to read it). Its
   * introspection answer names `audience` as `aud`, unless `audience: false`: then it names none.
   */
  opaqueToken(options?: { scope?: string; client?: TestClient; audience?: boolean }): Promise<string>;
  /**
   * A refresh token of `account`, issued to the gateway's client as if the user had logged in
   * (the login itself is not what these tests are about); exchange it with `refresh`.
   */
  userRefreshToken(account: TestAccount, scope?: string): Promise<string>;
  /** The refresh-token grant at the token endpoint, authenticated as `client` (default: the gateway's). */
  refresh(refreshToken: string, client?: TestClient): Promise<TokenEndpointAnswer>;
  /** RFC 7009 revocation of `token` at the provider, as the client that owns it. */
  revoke(token: string, client?: TestClient): Promise<void>;
  /** Generates a key, publishes it in the JWKS and signs access tokens with it from now on. */
  addSigningKey(alg?: TestSigningAlg): Promise<string>;
  /** Withdraws the key `kid` from the JWKS (a compromised key, say); tokens are then signed with the newest other key of its algorithm. */
  removeKey(kid: string): Promise<void>;
  /** Stops answering: the port is closed, connections are cut. */
  takeDown(): Promise<void>;
  /** Listens again on the same port. */
  bringUp(): Promise<void>;
  /** How many requests reached `pathname` (e.g. `/jwks`) since start. */
  requestCount(pathname: string): number;
  close(): Promise<void>;
}

const SERVICE_SCOPE_DEFAULT = 'orders:read';
/** The resource indicator under which the provider issues opaque tokens for `audience`. */
const OPAQUE_RESOURCE = 'urn:openclaw:test:opaque';

/** Starts a provider on `127.0.0.1`, port 0. Close it after the test. */
export async function startOidcProvider(options: OidcProviderOptions = {}): Promise<TestOidcProvider> {
  const audience = options.audience ?? 'https://api.openclaw.test';
  const ttl = options.accessTokenTtlSeconds ?? 300;
  const resourceScopes = options.scopes ?? ['orders:read', 'orders:write'];
  const gatewayClient: TestClient = { id: 'openclaw-gateway', secret: `gw-${randomUUID()}` };
  const serviceClient: TestClient = { id: 'partner-service', secret: `svc-${randomUUID()}` };
  const accounts = new Map<string, TestAccount>();
  const storage = new Map<string, Record<string, unknown>>();
  const counts = new Map<string, number>();
  const keys: JWK[] = [];
  const signingKid = new Map<string, string>();
  let signingAlg: TestSigningAlg = options.signingAlg ?? 'RS256';

  const addKey = async (alg: TestSigningAlg): Promise<string> => {
    const pair = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
    const kid = `${alg.toLowerCase()}-${randomUUID().slice(0, 8)}`;
    keys.unshift({ ...(await exportJWK(pair.privateKey)), kid, alg, use: 'sig' });
    signingKid.set(alg, kid);
    return kid;
  };
  // oidc-provider signs ID tokens with RS256 by default, so an RSA key is always present.
  await addKey('RS256');
  if (signingAlg !== 'RS256') await addKey(signingAlg);

  const server: Server = createServer();
  let provider: Provider;
  let handler: (req: IncomingMessage, res: ServerResponse) => void = () => undefined;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    counts.set(pathname, (counts.get(pathname) ?? 0) + 1);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;

  const build = (): void => {
    provider = new Provider(issuer, {
      adapter: mapAdapter(storage),
      clients: [
        {
          client_id: gatewayClient.id,
          client_secret: gatewayClient.secret,
          grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
          response_types: ['code'],
          redirect_uris: ['http://127.0.0.1/callback'],
          scope: ['openid', 'offline_access', ...resourceScopes].join(' '),
        },
        {
          client_id: serviceClient.id,
          client_secret: serviceClient.secret,
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
          token_endpoint_auth_method: 'client_secret_post',
          scope: resourceScopes.join(' '),
        },
      ],
      jwks: { keys },
      scopes: ['openid', 'offline_access', ...resourceScopes],
      cookies: { keys: ['openclaw-test-cookie-key'] },
      rotateRefreshToken: true,
      ttl: { AccessToken: ttl, ClientCredentials: ttl, RefreshToken: 86_400, Grant: 86_400 },
      findAccount: (_ctx: unknown, sub: string) => ({ accountId: sub, claims: () => ({ sub }) }),
      extraTokenClaims: (_ctx: unknown, token: { accountId?: string }) =>
        token.accountId === undefined ? undefined : accounts.get(token.accountId)?.claims,
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        // The gateway introspects every client's tokens.
        introspection: { enabled: true, allowedPolicy: () => true },
        revocation: { enabled: true, allowedPolicy: (_ctx: unknown, client: { clientId: string }, token: { clientId: string }) => client.clientId === token.clientId },
        resourceIndicators: {
          enabled: true,
          defaultResource: (_ctx: unknown, _client: unknown, oneOf?: string | string[]) => oneOf,
          useGrantedResource: () => true,
          getResourceServerInfo: (_ctx: unknown, resource: string) => {
            // Opaque tokens for the same audience: introspection answers with that `aud`.
            if (resource === OPAQUE_RESOURCE) return { scope: resourceScopes.join(' '), audience, accessTokenTTL: ttl, accessTokenFormat: 'opaque' };
            if (resource !== audience) throw new Error(`unknown resource ${resource}`);
            return {
              scope: resourceScopes.join(' '),
              audience,
              accessTokenTTL: ttl,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: signingAlg, kid: signingKid.get(signingAlg) } },
            };
          },
        },
      },
    });
    // oidc-provider reports client errors as events; the tests read the HTTP answers instead.
    provider.on('server_error', (_ctx, error) => console.error('oidc-provider server_error', error));
    handler = provider.callback();
  };
  build();

  const tokenEndpoint = `${issuer}/token`;
  const post = async (path: string, form: Record<string, string>, client: TestClient, basic: boolean): Promise<TokenEndpointAnswer> => {
    const body = new URLSearchParams(form);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (basic) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64')}`;
    else {
      body.set('client_id', client.id);
      body.set('client_secret', client.secret);
    }
    const response = await fetch(`${issuer}${path}`, { method: 'POST', headers, body });
    const text = await response.text();
    return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
  };
  const usesBasic = (client: TestClient): boolean => client.id === gatewayClient.id;

  const clientCredentials = async (form: Record<string, string>, client: TestClient): Promise<string> => {
    const answer = await post('/token', { grant_type: 'client_credentials', ...form }, client, usesBasic(client));
    if (answer.status !== 200) throw new Error(`client_credentials failed: ${JSON.stringify(answer.body)}`);
    return String(answer.body.access_token);
  };

  let down = false;
  return {
    issuer,
    audience,
    jwksUrl: `${issuer}/jwks`,
    tokenEndpoint,
    gatewayClient,
    serviceClient,
    get currentKid() {
      return signingKid.get(signingAlg) ?? '';
    },
    clientCredentialsToken: ({ scope = SERVICE_SCOPE_DEFAULT, client = serviceClient } = {}) =>
      clientCredentials({ scope, resource: audience }, client),
    opaqueToken: ({ scope = SERVICE_SCOPE_DEFAULT, client = serviceClient, audience: withAudience = true } = {}) =>
      clientCredentials(withAudience ? { scope, resource: OPAQUE_RESOURCE } : { scope }, client),
    async userRefreshToken(account, scope = `offline_access ${resourceScopes.join(' ')}`) {
      accounts.set(account.sub, account);
      const client = await provider.Client.find(gatewayClient.id);
      const grant = new provider.Grant({ accountId: account.sub, clientId: gatewayClient.id });
      const wanted = scope.split(' ');
      grant.addOIDCScope(wanted.filter((entry) => entry === 'offline_access' || entry === 'openid').join(' '));
      grant.addResourceScope(audience, wanted.filter((entry) => resourceScopes.includes(entry)).join(' '));
      const grantId = await grant.save();
      const refreshToken = new provider.RefreshToken({
        accountId: account.sub,
        client,
        grantId,
        scope,
        resource: audience,
        gty: 'authorization_code',
        authTime: Math.floor(Date.now() / 1000),
        ...(typeof account.claims?.acr === 'string' ? { acr: account.claims.acr } : {}),
        ...(Array.isArray(account.claims?.amr) ? { amr: account.claims.amr } : {}),
      });
      return refreshToken.save();
    },
    refresh: (refreshToken, client = gatewayClient) =>
      post('/token', { grant_type: 'refresh_token', refresh_token: refreshToken }, client, usesBasic(client)),
    async revoke(token, client = serviceClient) {
      const answer = await post('/token/revocation', { token }, client, usesBasic(client));
      if (answer.status !== 200) throw new Error(`revocation failed: ${JSON.stringify(answer.body)}`);
    },
    async addSigningKey(alg = signingAlg) {
      const kid = await addKey(alg);
      signingAlg = alg;
      build();
      return kid;
    },
    async removeKey(kid) {
      const index = keys.findIndex((key) => key.kid === kid);
      if (index < 0) throw new Error(`no key ${kid}`);
      const [removed] = keys.splice(index, 1);
      const alg = String(removed?.alg);
      if (signingKid.get(alg) === kid) {
        const next = keys.find((key) => key.alg === alg);
        if (next?.kid === undefined) signingKid.delete(alg);
        else signingKid.set(alg, next.kid);
      }
      build();
    },
    async takeDown() {
      if (down) return;
      down = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    async bringUp() {
      if (!down) return;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      down = false;
    },
    requestCount: (pathname) => counts.get(pathname) ?? 0,
    async close() {
      if (down) return;
      down = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/**
 * A storage adapter over one Map shared by every `Provider` this test provider builds, so
 * tokens survive a key change. Expiry is left to the provider's own checks.
 */
function mapAdapter(storage: Map<string, Record<string, unknown>>) {
  const grantMembers = new Map<string, Set<string>>();
  return class MapAdapter {
    constructor(private readonly model: string) {}
    private key(id: string): string {
      return `${this.model}:${id}`;
    }
    async upsert(id: string, payload: Record<string, unknown>): Promise<void> {
      storage.set(this.key(id), payload);
      if (typeof payload.grantId === 'string') {
        const members = grantMembers.get(payload.grantId) ?? new Set<string>();
        members.add(this.key(id));
        grantMembers.set(payload.grantId, members);
      }
      if (typeof payload.uid === 'string') storage.set(`uid:${payload.uid}`, { id });
      if (typeof payload.userCode === 'string') storage.set(`userCode:${payload.userCode}`, { id });
    }
    async find(id: string): Promise<Record<string, unknown> | undefined> {
      return storage.get(this.key(id));
    }
    async findByUid(uid: string): Promise<Record<string, unknown> | undefined> {
      const ref = storage.get(`uid:${uid}`);
      return ref ? this.find(String(ref.id)) : undefined;
    }
    async findByUserCode(userCode: string): Promise<Record<string, unknown> | undefined> {
      const ref = storage.get(`userCode:${userCode}`);
      return ref ? this.find(String(ref.id)) : undefined;
    }
    async consume(id: string): Promise<void> {
      const payload = storage.get(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string): Promise<void> {
      storage.delete(this.key(id));
    }
    async revokeByGrantId(grantId: string): Promise<void> {
      for (const key of grantMembers.get(grantId) ?? []) storage.delete(key);
      grantMembers.delete(grantId);
    }
  };
}
