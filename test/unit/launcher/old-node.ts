/**
 * Finds a Node older than the project supports on this machine (Debian's /usr/bin/node is 20 here),
 * so the version checks of the launcher and the CLI shim run under a real old Node, not a pretend one.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..', '..');

/** The major version package.json `engines.node` (">=24") asks for. */
export function requiredNodeMajor(): number {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines?: { node?: string } };
  const match = /^\s*>=\s*v?(\d+)/.exec(pkg.engines?.node ?? '');
  if (!match?.[1]) throw new Error(`package.json engines.node is ${String(pkg.engines?.node)}, not ">=N"`);
  return Number(match[1]);
}

export interface OldNode {
  path: string;
  version: string;
}

function versionOf(path: string): string | null {
  try {
    return execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    return null;
  }
}

/** An installed Node whose major version is below the required one, or null (with none, tests skip). */
export function findOldNode(): OldNode | null {
  const needed = requiredNodeMajor();
  const candidates = new Set<string>();
  if (process.env.EARSHOT_OLD_NODE) candidates.add(process.env.EARSHOT_OLD_NODE);
  try {
    for (const line of execFileSync('which', ['-a', 'node'], { encoding: 'utf8', timeout: 10_000 }).split('\n')) if (line.trim()) candidates.add(line.trim());
  } catch {
    // `which` missing or no node on PATH: the fixed places below still get looked at.
  }
  for (const fixed of ['/usr/bin/node', '/usr/local/bin/node']) candidates.add(fixed);
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    const version = versionOf(path);
    const major = version ? Number(/^v(\d+)/.exec(version)?.[1]) : NaN;
    if (version && major < needed) return { path, version };
  }
  return null;
}
