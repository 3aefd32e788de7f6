/**
 * CPU of processes and threads from /proc (Linux), for the benchmarks: exact per-thread runtimes
 * from schedstat, this run's Chromium processes (descendants of the bench), CPU % over a window.
 *
 * (`.lib.ts`: not a benchmark itself; scripts/bench-all.ts skips it.)
 */
import { readFileSync, readdirSync } from 'node:fs';

/**
 * CPU time of every thread of `pid`, in ns, from /proc/<pid>/task/<tid>/schedstat (the scheduler's
 * exact runtime). The tick-sampled utime/stime of /proc/<pid>/stat charge a whole 10 ms tick to
 * whichever thread is running when it fires, which badly skews threads that wake on audio timers.
 */
export function taskRuntimes(pid: number): Map<string, number> {
  const m = new Map<string, number>();
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return m;
  }
  for (const tid of tasks) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      const key = `${pid}:${name}`;
      m.set(key, (m.get(key) ?? 0) + ns);
    } catch {
      // thread ended
    }
  }
  return m;
}

export function cpuNs(pid: number): number {
  let sum = 0;
  for (const v of taskRuntimes(pid).values()) sum += v;
  return sum;
}

/** Our Chromium's processes only: descendants of this node process (other Chromiums may be running). */
export function chromiumProcesses(): { renderer: number[]; audio: number[]; other: number[] } {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const ours = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  const renderer: number[] = [];
  const audio: number[] = [];
  const other: number[] = [];
  for (const pid of parent.keys()) {
    if (!ours(pid)) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmd.includes('chromium')) continue;
    if (cmd.includes('--type=renderer')) renderer.push(pid);
    else if (cmd.includes('audio.mojom.AudioService')) audio.push(pid);
    else other.push(pid);
  }
  // Chromium keeps spare renderers (about:blank, a prelaunched one): the page's is the one with audio threads.
  const withAudio = renderer.filter((pid) => {
    try {
      return readdirSync(`/proc/${pid}/task`).some((tid) => /\((Realtime AudioW|AudioOutputDevi)/.test(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')));
    } catch {
      return false;
    }
  });
  return { renderer: withAudio, audio, other: [...other, ...renderer.filter((pid) => !withAudio.includes(pid))] };
}

/** CPU % of one core per thread name, summed over the processes, over `ms`. */
export async function threadCpu(pids: number[], ms: number): Promise<string> {
  const read = (): Map<string, number> => {
    const m = new Map<string, number>();
    for (const pid of pids) for (const [k, v] of taskRuntimes(pid)) m.set(k, v);
    return m;
  };
  const a = read();
  const w0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const b = read();
  const wall = (performance.now() - w0) / 1000;
  return [...b]
    .map(([k, v]) => [k, ((v - (a.get(k) ?? 0)) / 1e9 / wall) * 100] as const)
    .filter(([, v]) => v >= 0.5)
    .sort((x, y) => y[1] - x[1])
    .map(([k, v]) => `${k} ${v.toFixed(1)}%`)
    .join(', ');
}

export async function cpuOver(pids: number[], ms: number): Promise<number> {
  const sum = (): number => pids.reduce((n, p) => n + cpuNs(p), 0);
  const t0 = sum();
  const w0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const t1 = sum();
  const wall = (performance.now() - w0) / 1000;
  return ((t1 - t0) / 1e9 / wall) * 100;
}

