/**
 * `defineConfig`: the helper users wrap their config in, for types and editor completion.
 */
import type { OpenClawConfig } from './types.js';

/**
 * Returns `config` unchanged. It exists so that `export default defineConfig({ ... })` in
 * `openclaw.config.ts` is type-checked and completed against `OpenClawConfig`; validation
 * happens when the gateway loads the file.
 */
export function defineConfig(config: OpenClawConfig): OpenClawConfig {
  return config;
}
