/**
 * `npm run bench`: the benchmark runner. Installs the peers on first use (npm ci --prefix
 * bench/peers; `micro` needs none), pins itself (and so the backends and load generator it
 * starts) to core 1 and each gateway under test to core 0, runs the workloads the command
 * names, prints each table as it is finished and writes them all, with the machine and the
 * command, to bench/results/.
 * Method and commands: BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTENDERS } from './lib/contenders.js';
import type { Harness } from './lib/harness.js';
import { parseBenchOptions, type BenchOptions } from './lib/options.js';
import { PEERS_DIR, RESULTS_DIR } from './lib/paths.js';
import { pin } from './lib/proc.js';
import { Report } from './lib/report.js';
import { runDemo } from './workloads/demo.js';
import { runFederation } from './workloads/federation.js';
import { runHostile } from './workloads/hostile.js';
import { runMicro } from './workloads/micro.js';
import { captureReference } from './workloads/reference.js';
import { runScaling } from './workloads/scaling.js';
import { runSoak } from './workloads/soak.js';

function ensurePeers(): void {
  if (existsSync(join(PEERS_DIR, 'node_modules'))) return;
  process.stdout.write('bench/peers/node_modules is missing: installing the peers (npm ci --prefix bench/peers)\n');
  const result = spawnSync('npm', ['ci', '--prefix', PEERS_DIR, '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm ci --prefix bench/peers failed; see above');
}

function cores(options: BenchOptions): { gateway: string | null; other: string | null } {
  if (!options.pin) return { gateway: null, other: null };
  if (cpus().length < 2) {
    process.stdout.write('fewer than 2 cores: nothing is pinned, figures mix the gateway with its load\n');
    return { gateway: null, other: null };
  }
  return { gateway: '0', other: '1' };
}

async function main(): Promise<number> {
  const options = parseBenchOptions(process.argv.slice(2));
  if (!options) return 0;
  const unknown = options.only.filter((id) => !CONTENDERS.some((contender) => contender.id === id));
  if (unknown.length > 0) throw new Error(`--only: unknown contender ${unknown.join(', ')}; known: ${CONTENDERS.map((c) => c.id).join(', ')}`);
  // The micro benchmarks measure the gateway's own code in-process, and the hostile workload
  // brings its own steady client: no peer, no load generator.
  if (options.command !== 'micro' && options.command !== 'hostile') ensurePeers();
  const { gateway, other } = cores(options);
  // Children inherit the runner's affinity: backends and load generator stay on `other`.
  if (other !== null) pin(process.pid, other);

  const report = new Report(options.commandLine);
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
  const harness: Harness = {
    options,
    report,
    gatewayCpus: gateway,
    otherCpus: other,
    workDir: mkdtempSync(join(tmpdir(), 'openclaw-bench-')),
    profileDir: join(RESULTS_DIR, `${stamp}-profiles`),
  };
  if (options.profile) mkdirSync(harness.profileDir, { recursive: true });
  if (options.quick) report.add('> `--quick`: short windows and one repeat, for working on the harness. These figures are not results.');
  try {
    const { command } = options;
    if (command === 'all' || command === 'federation') await runFederation(harness);
    if (command === 'all' || command === 'demo') await runDemo(harness);
    if (command === 'all' || command === 'scaling') await runScaling(harness);
    if (command === 'all' || command === 'micro') await runMicro(harness);
    if (command === 'soak') await runSoak(harness);
    if (command === 'reference') await captureReference(harness);
    if (command === 'hostile') await runHostile(harness);
  } finally {
    rmSync(harness.workDir, { recursive: true, force: true });
    process.stdout.write(`Results written to ${report.write()}\n`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
