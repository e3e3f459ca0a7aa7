/**
 * The manifest of trusted documents (`persistedDocuments.manifest`), read once at start-up.
 * Two formats are read, told apart by their shape:
 *
 * - Apollo's persisted query list, as `@apollo/generate-persisted-query-manifest` writes it:
 *   `{ "format": "apollo-persisted-query-manifest", "version": 1, "operations": [{ "id",
 *   "body", "name", "type" }] }`, the id being the body's SHA-256 in hex;
 * - Relay's `persistOutput` (and most other tools'): `{ "<id>": "<document text>" }`.
 *
 * Every document is also addressable by its SHA-256 (what Apollo clients send in
 * `extensions.persistedQuery.sha256Hash`, and `documentId: "sha256:<hex>"`), and its text is
 * recognised with or without ignored characters (whitespace, commas, comments), so a client
 * that sends a manifest document's text in full is recognised as sending a trusted document.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { stripIgnoredCharacters } from 'graphql';
import { GatewayError } from '../../errors/index.js';

/** The SHA-256 of `text` (UTF-8), lower-case hex: APQ's hash. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** `text` without GraphQL's ignored characters, or undefined when it does not lex. */
function stripped(text: string): string | undefined {
  try {
    return stripIgnoredCharacters(text);
  } catch {
    return undefined;
  }
}

/** The trusted documents of every manifest file. */
export class Manifest {
  private readonly byId = new Map<string, string>();
  private readonly byHash = new Map<string, string>();
  // SHA-256 of each document with its ignored characters removed: text sent in another layout.
  private readonly strippedHashes = new Set<string>();

  /** How many distinct ids the manifests hold. */
  get size(): number {
    return this.byId.size;
  }

  /** Adds one document; `where` names it for the error when the id is taken by another text. */
  add(id: string, text: string, where: string): void {
    const existing = this.byId.get(id);
    if (existing !== undefined && existing !== text) {
      throw new GatewayError('CONFIG_INVALID', `persistedDocuments.manifest: ${where}: the id ${JSON.stringify(id)} is already given to another document.`);
    }
    this.byId.set(id, text);
    this.byHash.set(sha256Hex(text), text);
    const compact = stripped(text);
    if (compact !== undefined) this.strippedHashes.add(sha256Hex(compact));
  }

  /** The text of the document with this id (a manifest id, or `sha256:<hex>`), if known. */
  byDocumentId(id: string): string | undefined {
    const found = this.byId.get(id);
    if (found !== undefined) return found;
    return id.startsWith('sha256:') ? this.byHash.get(id.slice(7).toLowerCase()) : undefined;
  }

  /** The text of the document whose SHA-256 is `hash` (lower- or upper-case hex), if known. */
  bySha256(hash: string): string | undefined {
    return this.byHash.get(hash.toLowerCase()) ?? this.byId.get(hash);
  }

  /** True when `text` is a manifest document, as written or with other ignored characters. */
  trusts(text: string): boolean {
    if (this.byHash.has(sha256Hex(text))) return true;
    const compact = stripped(text);
    return compact !== undefined && this.strippedHashes.has(sha256Hex(compact));
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Adds the documents of one parsed file to `manifest`; `label` names the file in errors. */
export function addManifest(manifest: Manifest, json: unknown, label: string): void {
  const bad = (problem: string) => new GatewayError('CONFIG_INVALID', `persistedDocuments.manifest: ${label} ${problem}`);
  if (!isObject(json)) throw bad('must be a JSON object: an Apollo persisted query list or a Relay { "<id>": "<document>" } map.');
  if ('format' in json) {
    if (json.format !== 'apollo-persisted-query-manifest' || json.version !== 1) {
      throw bad(`has "format" ${JSON.stringify(json.format)} and "version" ${JSON.stringify(json.version)}; the Apollo format is "apollo-persisted-query-manifest", version 1.`);
    }
    if (!Array.isArray(json.operations)) throw bad('must have an "operations" list.');
    for (const [index, operation] of json.operations.entries()) {
      const where = `operations[${index}]`;
      if (!isObject(operation) || typeof operation.id !== 'string' || operation.id === '' || typeof operation.body !== 'string' || operation.body === '') {
        throw bad(`${where} must be { "id": string, "body": string, "name": string, "type": "query" | "mutation" | "subscription" }.`);
      }
      manifest.add(operation.id, operation.body, `${label} ${where}`);
    }
    return;
  }
  for (const [id, text] of Object.entries(json)) {
    if (typeof text !== 'string' || text === '') throw bad(`maps ${JSON.stringify(id)} to ${typeof text}; a Relay manifest maps each id to the document's text.`);
    manifest.add(id, text, `${label} ${JSON.stringify(id)}`);
  }
}

/** Reads every manifest file into one `Manifest`; a missing or malformed file is CONFIG_INVALID. */
export async function loadManifest(files: readonly string[], rootDir: string): Promise<Manifest> {
  const manifest = new Manifest();
  for (const file of files) {
    const label = relative(rootDir, file) || file;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new GatewayError('CONFIG_INVALID', `persistedDocuments.manifest: cannot read ${label} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new GatewayError('CONFIG_INVALID', `persistedDocuments.manifest: ${label} is not valid JSON: ${(error as Error).message}.`);
    }
    addManifest(manifest, json, label);
  }
  return manifest;
}
