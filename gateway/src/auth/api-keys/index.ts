/**
 * API keys, one credential of the identity step: the format (format.ts), what is stored
 * instead of a key (digest.ts), the lifecycle (service.ts), the check each request pays
 * (verifier.ts) with its cache kept fresh across instances (changes.ts), usage counters
 * (usage.ts), and the admin API (admin/). `createApiKeyServices` builds them from config at
 * start-up. Documented in docs/api-keys.md.
 *
 * For the pipeline (the lead's plugin), per request:
 *   const principal = await services.verifier.verify(req.headers['x-api-key'], clientIp, Date.now());
 *   ... services.usage.recordUsage(principal.keyId, hadErrors ? 'error' : 'ok');
 */
export { createApiKeyServices, openKeyManagement, type ApiKeyServices, type ApiKeysDeps, type ApiKeysSettings, type KeyManagement } from './services.js';
export { createVerifier, type ApiKeyVerifier, type KeyRefusal, type VerifierOptions } from './verifier.js';
export {
  createApiKeyService,
  type ApiKeyService,
  type CreateKeyInput,
  type IssuedKey,
  type KeyUsage,
  type ServiceOptions,
  type UpdateKeyInput,
} from './service.js';
export { createUsageRecorder, type UsageOutcome, type UsageRecorder, type UsageRecorderOptions } from './usage.js';
export { BACKSTOP_POLL_MS, combineFeeds, pollChanges, publishKeyChange, redisChanges, type ChangeListener, type KeyChangeFeed } from './changes.js';
export { createKeyDigester, constantTimeEqual, type KeyDigester } from './digest.js';
export { checkKeyFormat, generateKey, looksLikeKey, parseKey, KEY_LENGTH, KEY_PREFIXES, LOOKUP_PREFIX_LENGTH, type ParsedKey } from './format.js';
export { recordToJson, statusOf, toRecord, type ApiKeyRecord, type KeyStatus, type ReplacedKey } from './record.js';
export { formatRatePolicy, parseKeyRateLimit, parseRatePolicy, NO_RATE_LIMIT } from './rate-policy.js';
export { formatDuration, parseDuration, DURATION_SHAPE } from './duration.js';
export { compileAllowList, normalizeCidr, type IpAllowList } from './ip-allow-list.js';
export { createAdminApi, type AdminApi, type AdminApiOptions } from './admin/handler.js';
export { ADMIN_SDL, createAdminSchema } from './admin/schema.js';
