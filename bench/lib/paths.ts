/**
 * Where the benchmark's files are: the repository, the bench folder, its installed peers and
 * the results folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** bench/ */
export const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The repository root. */
export const REPO_DIR = resolve(BENCH_DIR, '..');
/** bench/results/ (kept out of git). */
export const RESULTS_DIR = join(BENCH_DIR, 'results');
/** bench/peers/: the peers' own package (package.json, lockfile, node_modules). */
export const PEERS_DIR = join(BENCH_DIR, 'peers');
/** bench/peers/node_modules/.bin/ */
export const PEER_BIN = join(PEERS_DIR, 'node_modules', '.bin');

/** The installed version of a package in bench/peers/node_modules (or the root's, for `root: true`). */
export function installedVersion(name: string, root = false): string {
  const file = join(root ? REPO_DIR : PEERS_DIR, 'node_modules', name, 'package.json');
  if (!existsSync(file)) return 'not installed';
  return String((JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version ?? '?');
}

/** A file of bench/workload/. */
export function workloadFile(name: string): string {
  return join(BENCH_DIR, 'workload', name);
}
