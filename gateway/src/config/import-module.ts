/**
 * Importing the user's config module. An `openclaw.config.ts` needs a TypeScript loader, and an
 * installed gateway runs on plain Node, so this file, and only this file, uses jiti: a small
 * loader that transpiles the config (and what it imports from the project) when Node cannot
 * load it itself. In the config, `import ... from 'openclaw-gateway'` is the gateway that is
 * running, whether or not the project installed the package (`npx openclaw-gateway start` in
 * a folder with no install).
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

// The package's entry beside this file: dist/index.js when installed, src/index.ts in a checkout.
const OWN_ENTRY = fileURLToPath(new URL(`../index${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/**
 * Imports the module at the absolute path `file` and resolves with its namespace (`default`,
 * named exports). Node's own loader is tried first (a `.js`/`.mjs` config; a `.ts` one when the
 * process has a TypeScript loader, as the workspace's tsx); jiti transpiles the file when Node
 * cannot load it. Rejects with the loader's error (a syntax error names the file, line and
 * column) or whatever the module throws.
 */
export async function importConfigModule(file: string): Promise<Record<string, unknown>> {
  // Loaded on demand: a JSON config, or none, never pays for the loader.
  const { createJiti } = await import('jiti');
  const jiti = createJiti(import.meta.url, {
    tryNative: true,
    // The config is small; no transpile cache is written into the user's node_modules.
    fsCache: false,
    // A second load in the same process (tests, a reload) reads the file again.
    moduleCache: false,
    alias: { 'openclaw-gateway': OWN_ENTRY },
  });
  return jiti.import<Record<string, unknown>>(file);
}
