/**
 * Micro benchmarks: every `bench/micro/*.ts` is a script that measures one mechanism and
 * prints its figures (Markdown welcome) to stdout. Each runs in its own process, pinned to
 * the gateway core, with `--quick` passed on; a script that fails is reported, not fatal.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Harness } from '../lib/harness.js';
import { BENCH_DIR, REPO_DIR } from '../lib/paths.js';

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function runScript(file: string, args: string[], cpus: string | null, timeoutMs: number): Promise<Outcome> {
  const argv = [process.execPath, '--import', 'tsx', file, ...args];
  const [command, ...rest] = cpus === null ? argv : ['taskset', '-c', cpus, ...argv];
  return new Promise((resolve) => {
    const child = spawn(command as string, rest, { cwd: REPO_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** Output as Markdown: tables and headings as they are, anything else in a code block. */
function asMarkdown(stdout: string): string {
  const text = stdout.trim();
  if (text === '') return '(no output)';
  const markdown = text.split('\n').some((line) => /^\s*\|.*\|\s*$/.test(line) || /^#{1,6} /.test(line));
  return markdown ? text : `\`\`\`\n${text}\n\`\`\``;
}

/** Runs every micro benchmark and adds one section with all their outputs. */
export async function runMicro(harness: Harness): Promise<void> {
  const dir = join(BENCH_DIR, 'micro');
  let files: string[] = [];
  try {
    files = readdirSync(dir)
      .filter((name) => name.endsWith('.ts'))
      .sort()
      .map((name) => join(dir, name));
  } catch {
    // No micro folder: nothing to run.
  }
  const parts: string[] = [];
  for (const file of files) {
    const name = basename(file);
    process.stdout.write(`  micro: ${name}\n`);
    const outcome = await runScript(file, harness.options.quick ? ['--quick'] : [], harness.gatewayCpus, harness.options.quick ? 180_000 : 900_000);
    const failed = outcome.timedOut || outcome.code !== 0;
    const status = outcome.timedOut ? 'timed out' : outcome.code !== 0 ? `failed (exit ${outcome.code})` : '';
    parts.push(
      [
        `### ${name}${status ? ` — ${status}` : ''}`,
        '',
        asMarkdown(outcome.stdout),
        ...(failed && outcome.stderr.trim() !== '' ? ['', `\`\`\`\n${outcome.stderr.trim()}\n\`\`\``] : []),
      ].join('\n'),
    );
  }
  harness.report.add(
    [
      '## Micro benchmarks (bench/micro/*.ts)',
      '',
      `Each script in its own process on core ${harness.gatewayCpus ?? '(unpinned)'}${harness.options.quick ? ', with --quick' : ''}.`,
      '',
      parts.length > 0 ? parts.join('\n\n') : '(no scripts in bench/micro/)',
    ].join('\n'),
  );
}
