#!/usr/bin/env node
// The `openclaw` command (also installed as `openclaw-gateway`, the package's name, so that
// `npx openclaw-gateway` works where no install is: the bare name `openclaw` on npm is an
// unrelated project).
//
// Installed, it runs the compiled CLI (dist/) on plain Node. In a checkout of the repository,
// where src/ sits beside bin/ (the package ships no src/), it runs the TypeScript source
// instead, through the workspace's tsx and the "openclaw-source" export condition: a change
// in src/ is live without a build, and a stale dist/ is never what runs.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

if (existsSync(new URL('../src/cli/main.ts', import.meta.url))) {
  const { register: registerTsx } = await import('tsx/esm/api');
  registerTsx();
  // Resolve `#cli` and `openclaw-gateway` (also from the user's config) to src/, as the
  // workspace's tests and tsconfig do; registered last, so it runs before tsx's resolver.
  register(
    'data:text/javascript,export function resolve(specifier, context, next) {' +
      ' return next(specifier, { ...context, conditions: [...new Set([...context.conditions, "openclaw-source"])] }); }',
  );
}

const { runCli } = await import('#cli');
await runCli(process.argv.slice(2));
