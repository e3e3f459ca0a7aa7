/**
 * What the benchmark reads from Linux about a process tree: CPU time (utime + stime from
 * /proc/<pid>/stat, in clock ticks), peak and current resident memory (VmHWM / VmRSS from
 * /proc/<pid>/status), and CPU affinity through `taskset`. A gateway that forks workers is one
 * tree: its figures are the sums over the tree, read while every process in it is alive.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let clockTicks: number | undefined;

/** Clock ticks per second (`getconf CLK_TCK`), read once. */
export function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    clockTicks = Number.isFinite(value) && value > 0 ? value : 100;
  }
  return clockTicks;
}

interface StatLine {
  ppid: number;
  ticks: number;
}

// The command name (field 2) is in parentheses and may itself hold spaces and parentheses, so
// the fields are counted from the last ')'.
function readStat(pid: number): StatLine | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // After the name: state(3) ppid(4) ... utime(14) stime(15), i.e. indices 1, 11 and 12 here.
  return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
}

/** `pid` and every live descendant of it. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(Number(entry));
    children.set(stat.ppid, list);
  }
  const tree: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    tree.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return tree;
}

/** CPU milliseconds (user + system) the tree under `pid` has used so far. */
export function cpuMs(pid: number): number {
  let ticks = 0;
  for (const member of processTree(pid)) ticks += readStat(member)?.ticks ?? 0;
  return (ticks * 1000) / ticksPerSecond();
}

function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Peak resident memory (VmHWM) of the tree under `pid`, in MB: summed over its processes. */
export function peakRssMb(pid: number): number {
  return processTree(pid).reduce((sum, member) => sum + statusKb(member, 'VmHWM'), 0) / 1024;
}

/** Current resident memory (VmRSS) of the tree under `pid`, in MB. */
export function rssMb(pid: number): number {
  return processTree(pid).reduce((sum, member) => sum + statusKb(member, 'VmRSS'), 0) / 1024;
}

/**
 * Pins every thread of `pid` to `cpus` (a taskset list such as "0" or "0,1"). Threads and
 * processes started later inherit the affinity of the thread that starts them.
 */
export function pin(pid: number, cpus: string): void {
  execFileSync('taskset', ['-a', '-cp', cpus, String(pid)], { stdio: 'ignore' });
}
