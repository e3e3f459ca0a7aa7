#!/usr/bin/env node
// The `openclaw` command. The CLI is TypeScript, so tsx's loader is registered first; the
// same loader lets the CLI import the user's openclaw.config.ts.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
await runCli(process.argv.slice(2));
