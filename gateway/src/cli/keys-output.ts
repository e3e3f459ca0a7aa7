/**
 * How `openclaw keys` prints records for people: a table for lists, labelled lines for one
 * key, and the key itself once, on its own line, at creation and rotation.
 */
import { formatRatePolicy } from '../auth/api-keys/rate-policy.js';
import type { ApiKeyRecord } from '../auth/api-keys/record.js';
import type { KeyUsage } from '../auth/api-keys/service.js';

function when(ms: number | null, none: string): string {
  return ms === null ? none : new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

function list(values: readonly string[], none: string): string {
  return values.length === 0 ? none : values.join(', ');
}

/** One key, as labelled lines (and its usage, when given). */
export function formatRecord(record: ApiKeyRecord, usage?: KeyUsage): string {
  const lines: Array<[string, string]> = [
    ['id', record.id],
    ['name', record.name],
    ['owner', record.owner ?? '-'],
    ['prefix', `${record.prefix}...`],
    ['environment', record.environment],
    ['status', record.status],
    ['scopes', list(record.scopes, '(none)')],
    ['rate limit', record.rateLimit === null ? '(none)' : formatRatePolicy(record.rateLimit)],
    ['cost limit', record.costLimit === null ? '(none)' : formatRatePolicy(record.costLimit)],
    ['allowed IPs', list(record.allowedIps, '(any)')],
    ['documents', record.trustedDocumentsOnly ? 'trusted only (persistedDocuments.manifest)' : 'any'],
    ['expires', when(record.expiresAt, 'never')],
    ['created', when(record.createdAt, '-')],
    ['updated', when(record.updatedAt, '-')],
    ['last used', when(record.lastUsedAt, 'never')],
  ];
  if (record.revokedAt !== null) lines.push(['revoked', when(record.revokedAt, '-')]);
  for (const replaced of record.replaced) lines.push(['replaced', `${replaced.prefix}... works until ${when(replaced.endsAt, '-')}`]);
  let out = lines.map(([label, value]) => `${label.padEnd(12)} ${value}`).join('\n');
  if (usage !== undefined) {
    out += `\nusage        ${usage.requests} requests, ${usage.errors} errors since ${usage.fromDay}`;
    for (const day of usage.days) out += `\n  ${day.day}  ${day.requests} requests, ${day.errors} errors`;
  }
  return `${out}\n`;
}

/** A new key: the plaintext once, then its record. */
export function formatIssued(action: 'Created' | 'Rotated', key: string, record: ApiKeyRecord): string {
  const old =
    action === 'Rotated' && record.replaced[0] !== undefined
      ? `The previous key (${record.replaced[0].prefix}...) works until ${when(record.replaced[0].endsAt, '-')}.\n`
      : '';
  return (
    `${action} API key ${record.id} (${record.name}).\n\n  ${key}\n\n` +
    'This is the only time the key is shown: store it now. It cannot be shown again, only rotated.\n' +
    `${old}\n${formatRecord(record)}`
  );
}

/** Keys as a table, one per line. */
export function formatTable(records: readonly ApiKeyRecord[]): string {
  if (records.length === 0) return 'No API keys match.\n';
  const header = ['ID', 'NAME', 'OWNER', 'PREFIX', 'STATUS', 'SCOPES', 'RATE LIMIT', 'EXPIRES', 'LAST USED'];
  const rows = records.map((record) => [
    record.id,
    record.name,
    record.owner ?? '-',
    record.prefix,
    record.status,
    list(record.scopes, '-'),
    record.rateLimit === null ? '-' : formatRatePolicy(record.rateLimit),
    when(record.expiresAt, 'never'),
    when(record.lastUsedAt, 'never'),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
