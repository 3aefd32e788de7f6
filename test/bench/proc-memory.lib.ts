/**
 * Memory of this process by mapping kind, for the soak benchmarks.
 *
 * (`.lib.ts`: not a benchmark itself; scripts/bench-all.ts skips it.)
 */
import { readFileSync } from 'node:fs';

/** Splits rss by mapping kind from /proc/self/smaps (Linux); zeros elsewhere. */
export function rssByMapping(): { mallocRss: number; smallAnonRss: number } {
  let text: string;
  try {
    text = readFileSync('/proc/self/smaps', 'utf8');
  } catch {
    return { mallocRss: 0, smallAnonRss: 0 };
  }
  let mallocRss = 0;
  let smallAnonRss = 0;
  let kind: 'malloc' | 'small-anon' | 'other' = 'other';
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const size = parseInt(head[2] ?? '0', 16) - parseInt(head[1] ?? '0', 16);
      const name = head[3] ?? '';
      kind = name === '[heap]' ? 'malloc' : name === '' && size < 1024 * 1024 ? 'small-anon' : 'other';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) {
      const bytes = Number(rss[1]) * 1024;
      if (kind === 'malloc') mallocRss += bytes;
      else if (kind === 'small-anon') smallAnonRss += bytes;
    }
  }
  return { mallocRss, smallAnonRss };
}

