// Lint: the strict rules that catch design mistakes, not style. Import cycles and default
// exports in library code are forbidden (STYLE.md, rule 10).
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const SRC = './gateway/src';

/** `target` may not import from any of `from` (folders or files under gateway/src). */
function zone(target, from, message) {
  return { target: `${SRC}/${target}`, from: from.map((path) => `${SRC}/${path}`), message };
}

function importZones() {
  const above = (...names) => names;
  return [
    zone('errors', above('config', 'auth', 'store', 'traffic', 'telemetry', 'directives', 'sources', 'compose', 'execute', 'server', 'cli', 'context.ts', 'index.ts'), 'errors/ is the bottom layer: it imports nothing of the gateway.'),
    zone('directives', above('config', 'auth', 'store', 'traffic', 'sources', 'compose', 'execute', 'server', 'cli'), 'directives/ only declares SDL; every step may read it, it reads none.'),
    zone('config', above('auth', 'store', 'traffic', 'sources', 'compose', 'execute', 'server', 'cli', 'context.ts'), 'config/ comes before every step: it may not import one.'),
    zone('context.ts', above('sources', 'compose', 'execute', 'server', 'traffic', 'store', 'cli'), 'context.ts knows no source internals and no step after it.'),
    zone('telemetry', above('auth', 'store', 'sources', 'compose', 'execute', 'server', 'cli'), 'telemetry/ is used by the steps, not the other way round.'),
    zone('store', above('sources', 'compose', 'execute', 'server', 'cli'), 'store/ sits under the steps that use it.'),
    zone('traffic', above('auth', 'sources', 'compose', 'execute', 'server', 'cli'), 'traffic/ (upstream transports, limits) is used by sources and plugins, not the reverse.'),
    zone('auth', above('sources', 'compose', 'execute', 'server', 'cli'), 'auth/ (identity, policy) is used by the pipeline\'s plugins, not the reverse.'),
    zone('sources', above('compose', 'execute', 'server', 'cli'), 'sources/ does not import compose/ or later steps: shared definitions live in directives/ or sources/.'),
    zone('compose', above('execute', 'server', 'cli'), 'compose/ runs at start-up, before execution and serving.'),
    zone('execute', above('server', 'cli'), 'execute/ is called by the server, not the reverse.'),
    zone('server', above('sources', 'cli'), 'server/ reaches sources only through compose and execute (it builds no batch loaders itself).'),
  ];
}

export default tseslint.config(
  { ignores: ['node_modules/**', '**/generated/**', 'gateway/static/**', 'gateway/dist/**', 'coverage/**'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['gateway/src/**/*.ts'],
    rules: {
      'import-x/no-default-export': 'error',
      // Folder-level import directions (ARCHITECTURE.md): the request's path reads from the
      // bottom (errors, config) up to the server and the CLI; nothing reaches back down into
      // a step that comes after it, and no step reaches into another's internals.
      'import-x/no-restricted-paths': ['error', { zones: importZones() }],
    },
  },
);
