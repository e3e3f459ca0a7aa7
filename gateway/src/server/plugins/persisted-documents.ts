/**
 * Pipeline step "persisted documents" (after identity, before the document is looked up):
 * a request may name its document instead of sending it, and the gateway may accept only the
 * documents it trusts (docs/trusted-documents.md).
 *
 * - `documentId` (GraphQL over HTTP), Relay's `doc_id` / `id`: a manifest id, or
 *   `sha256:<hex>`;
 * - `extensions.persistedQuery: { version: 1, sha256Hash }` (Apollo clients): a manifest
 *   document's hash or id, or, with `persistedDocuments.apq`, a document registered earlier by
 *   sending it with its hash (registered once it validates);
 * - the mode, `persistedDocuments.mode` or an API key's `trustedDocumentsOnly` (which makes
 *   `allow-any` act as `safelist` for that key's requests): `safelist` runs free text only when
 *   it is a manifest document, `require-id` runs manifest documents sent by id only. Neither
 *   uses APQ: a registration is the client's own document, not a trusted one.
 *
 * With none of it configured and no persisted document named, the step costs a few property
 * reads per request.
 */
import { GatewayError } from '../../errors/index.js';
import type { Principal } from '../../auth/principal.js';
import type { PersistedDocumentsMode } from '../../config/types.js';
import type { GatewayContext } from '../../context.js';
import type { ApqStore } from '../persisted-documents/apq-store.js';
import { sha256Hex, type Manifest } from '../persisted-documents/manifest.js';
import type { GatewayPlugin, RequestParams } from '../plugin.js';

/** What the step is made of. */
export interface PersistedDocumentsOptions {
  readonly mode: PersistedDocumentsMode;
  /** The trusted documents (`persistedDocuments.manifest`), when configured. */
  readonly manifest: Manifest | undefined;
  /** Automatic persisted queries' registrations, when `persistedDocuments.apq` is on. */
  readonly apq: ApqStore | undefined;
}

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/** An unknown id must never be cached by a CDN in front of GET requests (Apollo Server's header). */
const NOT_FOUND_HEADERS = { 'cache-control': 'private, no-cache, must-revalidate' };

function keyOf(principal: Principal): Principal | undefined {
  return principal.kind === 'apiKey' ? principal : principal.apiKey;
}

function describe(value: unknown): string {
  return JSON.stringify(value)?.slice(0, 100) ?? String(value);
}

/** `extensions.persistedQuery` checked: the hash (or manifest id) it names. */
function persistedHash(value: unknown): string {
  const shape = 'extensions.persistedQuery must be { "version": 1, "sha256Hash": "<64 hex digits>" }';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new GatewayError('BAD_REQUEST', `${shape}; received ${describe(value)}.`);
  const { version, sha256Hash } = value as Record<string, unknown>;
  if (version !== 1) throw new GatewayError('BAD_REQUEST', `${shape}; received version ${describe(version)} (only version 1 is supported).`);
  if (typeof sha256Hash !== 'string' || sha256Hash === '' || sha256Hash.length > 256) throw new GatewayError('BAD_REQUEST', `${shape}; received sha256Hash ${describe(sha256Hash)}.`);
  return sha256Hash;
}

/** Why free text is refused under `mode`, naming the setting that refuses it. */
function textRefused(mode: 'safelist' | 'require-id', byKey: boolean, manifest: Manifest | undefined): GatewayError {
  if (mode === 'require-id') {
    return new GatewayError('TRUSTED_DOCUMENT_REQUIRED', 'Documents are accepted by id only (persistedDocuments.mode is "require-id"): send the id of a document of persistedDocuments.manifest in "documentId" (or extensions.persistedQuery.sha256Hash), not its text.');
  }
  const setting = byKey ? 'this API key accepts only trusted documents (its trustedDocumentsOnly flag)' : 'persistedDocuments.mode is "safelist"';
  const where = manifest === undefined ? 'no persistedDocuments.manifest is configured, so none is trusted' : 'this document is not in persistedDocuments.manifest; send one of its documents, by id or as its text';
  return new GatewayError('TRUSTED_DOCUMENT_REQUIRED', `Only trusted documents are accepted (${setting}): ${where}.`);
}

/** The persisted-documents plugin. */
export function persistedDocumentsPlugin({ mode: globalMode, manifest, apq }: PersistedDocumentsOptions): GatewayPlugin {
  // Registrations waiting for their document to validate, by request.
  const pending = new WeakMap<GatewayContext, { hash: string; text: string }>();

  /** Free text under `mode`: passes, or is refused. */
  const checkText = (query: string, mode: PersistedDocumentsMode, byKey: boolean): void => {
    if (mode === 'allow-any') return;
    if (mode === 'safelist' && manifest?.trusts(query) === true) return;
    throw textRefused(mode, byKey, manifest);
  };

  const byDocumentId = (params: RequestParams, documentId: string): RequestParams => {
    if (params.query !== undefined) throw new GatewayError('BAD_REQUEST', 'The request sends both a document ("query") and a persisted document id; send one of them.');
    if (manifest === undefined) throw new GatewayError('PERSISTED_QUERY_NOT_SUPPORTED', 'The request names a persisted document, but this gateway has none (persistedDocuments.manifest is not set): send the document in "query".');
    const text = manifest.byDocumentId(documentId);
    if (text === undefined) {
      throw new GatewayError('PERSISTED_QUERY_NOT_FOUND', `No document of persistedDocuments.manifest has the id ${describe(documentId)}.`, {}, { headers: NOT_FOUND_HEADERS });
    }
    return { ...params, query: text };
  };

  const byHash = async (params: RequestParams, hash: string, mode: PersistedDocumentsMode, byKey: boolean, context: GatewayContext): Promise<RequestParams> => {
    const trusted = manifest?.bySha256(hash);
    const useApq = apq !== undefined && mode === 'allow-any';
    if (params.query === undefined) {
      if (trusted !== undefined) return { ...params, query: trusted };
      const registered = useApq && HEX_SHA256.test(hash) ? await apq.get(hash.toLowerCase()) : undefined;
      if (registered !== undefined) return { ...params, query: registered };
      // Apollo's messages, word for word: Apollo clients recognise them by their text.
      if (manifest === undefined && apq === undefined) throw new GatewayError('PERSISTED_QUERY_NOT_SUPPORTED', 'PersistedQueryNotSupported');
      throw new GatewayError('PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound', {}, { headers: NOT_FOUND_HEADERS });
    }
    // The document came with its hash: a registration (APQ's second request), or a client that
    // always sends both. The hash must be the document's, or it names the manifest's own.
    if (trusted === params.query) return params;
    const actual = sha256Hex(params.query);
    if (actual !== hash.toLowerCase()) {
      throw new GatewayError('PERSISTED_QUERY_HASH_MISMATCH', `extensions.persistedQuery.sha256Hash is ${describe(hash)}, but the SHA-256 of "query" is "${actual}": send the hash of the document sent.`);
    }
    checkText(params.query, mode, byKey);
    if (useApq) pending.set(context, { hash: actual, text: params.query });
    return params;
  };

  return {
    name: 'persisted-documents',
    onParams(params, context) {
      const persisted = params.extensions?.persistedQuery;
      if (params.documentId === undefined && persisted === undefined && globalMode === 'allow-any' && keyOf(context.principal)?.trustedDocumentsOnly !== true) return;
      const byKey = keyOf(context.principal)?.trustedDocumentsOnly === true && globalMode === 'allow-any';
      const mode: PersistedDocumentsMode = byKey ? 'safelist' : globalMode;
      if (params.documentId !== undefined) return byDocumentId(params, params.documentId);
      if (persisted !== undefined) return byHash(params, persistedHash(persisted), mode, byKey, context);
      if (params.query !== undefined) checkText(params.query, mode, byKey);
      return undefined;
    },
    // Registered once the document validated and its operation resolved: junk is never kept.
    ...(apq === undefined
      ? {}
      : {
        async onExecute(operation) {
          const registration = pending.get(operation.context);
          if (registration !== undefined) await apq.set(registration.hash, registration.text);
        },
      }),
  };
}
