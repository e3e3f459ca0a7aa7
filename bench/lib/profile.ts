/**
 * Reading a V8 CPU profile (`node --cpu-prof`): self time per function, summed over the
 * profile's samples, as a Markdown table of the top entries. Idle time is left out of the
 * percentages, so they are shares of the time the process was busy.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_DIR } from './paths.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function where(url: string, line: number): string {
  if (url === '') return '';
  const path = url.startsWith('file://') ? relative(REPO_DIR, new URL(url).pathname) : url;
  return `${path.replace(/^(\.\.\/)*.*node_modules\//, '')}:${line + 1}`;
}

/** The top `count` self-time entries of a profile file, as Markdown. */
export function topSelfTime(file: string, count = 15): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byNode = new Map<number, ProfileNode>(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<string, number>();
  let busyUs = 0;
  profile.samples.forEach((id, index) => {
    const node = byNode.get(id);
    const delta = profile.timeDeltas[index] ?? 0;
    if (!node || node.callFrame.functionName === '(idle)') return;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${where(url, lineNumber)}`.trim();
    selfUs.set(key, (selfUs.get(key) ?? 0) + delta);
    busyUs += delta;
  });
  const top = [...selfUs.entries()].sort((a, b) => b[1] - a[1]).slice(0, count);
  return [
    `Busy time profiled: ${(busyUs / 1e6).toFixed(1)} s.`,
    '',
    '| self % | self ms | function and place |',
    '|---|---|---|',
    ...top.map(([key, us]) => `| ${((100 * us) / Math.max(busyUs, 1)).toFixed(1)} | ${(us / 1000).toFixed(0)} | \`${key.replaceAll('|', '\\|')}\` |`),
  ].join('\n');
}

/** Microseconds of non-idle samples in a profile file. */
export function busyUs(file: string): number {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const idle = new Set(profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id));
  return profile.samples.reduce((sum, id, index) => sum + (idle.has(id) ? 0 : (profile.timeDeltas[index] ?? 0)), 0);
}

/**
 * The profile of the thread that did the work. Node writes one file per thread, and a process
 * started through tsx has a module-loader thread besides the main one.
 */
export function busiestProfile(files: readonly string[]): string | undefined {
  let best: { file: string; busy: number } | undefined;
  for (const file of files) {
    const busy = busyUs(file);
    if (!best || busy > best.busy) best = { file, busy };
  }
  return best?.file;
}

/** The `.cpuprofile` files in `dir`, newest last. */
export function profilesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.cpuprofile'))
      .sort()
      .map((name) => join(dir, name));
  } catch {
    return [];
  }
}
