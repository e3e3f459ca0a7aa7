/**
 * The machine and versions a run measured on, for the head of every results file: figures
 * mean little without the CPU, the core count, the Node version, the peers' versions and the
 * commit under test. The load average at the start says whether the CPU was shared.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { REPO_DIR, installedVersion } from './paths.js';

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match?.[1]) return match[1].trim();
  } catch {
    // Not Linux: fall through to Node's view.
  }
  return cpus()[0]?.model ?? 'unknown';
}

function gitCommit(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_DIR, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: REPO_DIR, encoding: 'utf8' }).trim();
    const branch = execFileSync('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: REPO_DIR, encoding: 'utf8' }).trim();
    return `${commit} (${branch})${dirty ? ' with uncommitted changes' : ''}`;
  } catch {
    return 'unknown';
  }
}

/** Markdown lines describing the machine and versions. */
export function describeMachine(): string[] {
  const peers = ['@graphql-hive/gateway', '@graphql-hive/router-runtime', '@apollo/gateway', '@apollo/server', 'autocannon'];
  return [
    `- CPU: ${cpuModel()}, ${cpus().length} cores; memory ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    `- load average at start (1, 5, 15 min): ${loadavg().map((value) => value.toFixed(2)).join(', ')}`,
    `- Node ${process.version}; OpenClaw at ${gitCommit()}`,
    `- peers: ${peers.map((name) => `${name} ${installedVersion(name)}`).join(', ')}; graphql ${installedVersion('graphql', true)} (OpenClaw)`,
  ];
}
