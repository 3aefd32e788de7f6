/**
 * search_files: find files by name (glob) and/or by content inside the shared folders.
 * Honours .gitignore files (and always skips .git), never follows links, skips hard-linked files,
 * binary files and files over the content-size limit, and stops at a result count, an entry count
 * and a time limit — saying which one it hit.
 */
import fsp from 'node:fs/promises';
import { z } from 'zod';
import { PATH_HINT, defineTool } from '../tool-definition.ts';
import type { ToolContext } from '../tool-definition.ts';
import type { OpenedDir, OpenedFile } from '../path-sandbox.ts';
import { isIgnored, parseGitignore } from '../gitignore.ts';
import type { IgnoreRules } from '../gitignore.ts';
import { nameMatcher } from '../glob-pattern.ts';
import { decodeText } from '../text-decoding.ts';
import { formatBytes, formatCount, limitText, plural } from '../text-format.ts';

export const SEARCH_LIMITS = {
  contentBytes: 1024 * 1024,
  depth: 32,
  snippetChars: 160,
};

const schema = z
  .object({
    path: z.string().optional().describe('Folder to search in. Leave out to search all shared folders.'),
    name: z.string().min(1).max(200).optional().describe('File-name pattern, e.g. "*.md" or "report*". Case-insensitive.'),
    contains: z.string().min(1).max(200).optional().describe('Text the file must contain (case-insensitive unless caseSensitive).'),
    caseSensitive: z.boolean().default(false),
    maxResults: z.number().int().min(1).max(100).default(20).describe('At most this many results (default 20).'),
  })
  .refine((a) => a.name !== undefined || a.contains !== undefined, { message: 'give a name pattern, a text to look for, or both' });

type Args = z.output<typeof schema>;

interface SearchState {
  args: Args;
  ctx: ToolContext;
  deadline: number;
  matchName: ((rel: string, name: string) => boolean) | null;
  needle: string | null;
  results: string[];
  entries: number;
  filesChecked: number;
  skipped: { large: number; binary: number; linked: number; unreadable: number };
  stop: 'results' | 'time' | 'entries' | 'cancelled' | null;
}

function shouldStop(s: SearchState): boolean {
  if (s.stop) return true;
  if (s.ctx.signal.aborted) s.stop = 'cancelled';
  else if (s.ctx.now() > s.deadline) s.stop = 'time';
  else if (s.entries >= s.ctx.limits.searchEntries) s.stop = 'entries';
  else if (s.results.length >= s.args.maxResults) s.stop = 'results';
  return s.stop !== null;
}

async function readSmall(file: OpenedFile): Promise<Buffer> {
  const size = Number(file.stat.size);
  const buf = Buffer.alloc(size);
  let read = 0;
  while (read < size) {
    const { bytesRead } = await file.handle.read(buf, read, size - read, read);
    if (bytesRead === 0) break;
    read += bytesRead;
  }
  return buf.subarray(0, read);
}

function snippet(line: string, at: number): string {
  const max = SEARCH_LIMITS.snippetChars;
  const text = line.trim().length <= max ? line.trim() : line.slice(Math.max(0, at - 40), Math.max(0, at - 40) + max).trim();
  return text.length < line.trim().length ? `…${text}…` : text;
}

async function checkContent(s: SearchState, dir: OpenedDir, name: string, display: string): Promise<void> {
  const needle = s.needle;
  if (needle === null) return;
  const opened = await s.ctx.sandbox.openChild(dir, name, 'file').catch(() => undefined);
  if (opened === undefined) {
    s.skipped.unreadable += 1;
    return;
  }
  if (opened === null) {
    s.skipped.linked += 1;
    return;
  }
  if (!('stat' in opened)) {
    await opened.handle?.close();
    return;
  }
  try {
    if (Number(opened.stat.size) > SEARCH_LIMITS.contentBytes) {
      s.skipped.large += 1;
      return;
    }
    const decoded = decodeText(await readSmall(opened));
    s.filesChecked += 1;
    if (decoded.kind === 'binary') {
      s.skipped.binary += 1;
      return;
    }
    const lines = decoded.text.split(/\r?\n/);
    let first: string | null = null;
    let count = 0;
    for (let i = 0; i < lines.length; i += 1) {
      const line = lines[i] ?? '';
      const at = (s.args.caseSensitive ? line : line.toLowerCase()).indexOf(needle);
      if (at >= 0) {
        count += 1;
        first ??= `line ${i + 1}: ${snippet(line, at)}`;
      }
    }
    if (first !== null) s.results.push(`${display} — ${count > 1 ? `${formatCount(count)} matches, first at ` : ''}${first}`);
  } finally {
    await opened.handle.close();
  }
}

async function walk(s: SearchState, dir: OpenedDir, rel: string, depth: number, ignores: IgnoreRules[]): Promise<void> {
  if (shouldStop(s)) return;
  const entries = await fsp.readdir(dir.access, { withFileTypes: true }).catch(() => null);
  if (!entries) {
    s.skipped.unreadable += 1;
    return;
  }
  let stack = ignores;
  const gitignore = entries.find((e) => e.name === '.gitignore' && e.isFile());
  if (gitignore) {
    const file = await s.ctx.sandbox.openChild(dir, '.gitignore', 'file').catch(() => null);
    if (file && 'stat' in file) {
      try {
        if (Number(file.stat.size) <= 256 * 1024) {
          const decoded = decodeText(await readSmall(file));
          if (decoded.kind === 'text') stack = [...ignores, parseGitignore(decoded.text, rel)];
        }
      } finally {
        await file.handle.close();
      }
    } else if (file) {
      await file.handle?.close();
    }
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const subdirs: string[] = [];
  for (const entry of entries) {
    if (shouldStop(s)) return;
    s.entries += 1;
    const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== '.git' && !isIgnored(stack, childRel, true)) subdirs.push(entry.name);
      continue;
    }
    if (entry.isSymbolicLink()) {
      s.skipped.linked += 1;
      continue;
    }
    if (!entry.isFile() || isIgnored(stack, childRel, false)) continue;
    if (s.matchName && !s.matchName(childRel, entry.name)) continue;
    const display = `${dir.display}/${entry.name}`;
    if (s.needle === null) s.results.push(display);
    else await checkContent(s, dir, entry.name, display);
  }
  if (depth >= SEARCH_LIMITS.depth) return;
  for (const name of subdirs) {
    if (shouldStop(s)) return;
    const child = await s.ctx.sandbox.openChild(dir, name, 'folder').catch(() => null);
    if (!child || 'stat' in child) {
      if (child) await child.handle.close();
      continue;
    }
    try {
      await walk(s, child, rel === '' ? name : `${rel}/${name}`, depth + 1, stack);
    } finally {
      await child.handle?.close();
    }
  }
}

export const searchFilesTool = defineTool({
  name: 'search_files',
  description:
    'Search the shared folders for files by name pattern and/or by text they contain. Skips what .gitignore ' +
    `excludes, binary files and files over ${formatBytes(SEARCH_LIMITS.contentBytes)} for text search; stops after ` +
    'a few seconds or maxResults and says so.' + PATH_HINT,
  schema,
  risk: 'read',
  async run(args, ctx) {
    const sandbox = ctx.sandbox;
    const started = ctx.now();
    const s: SearchState = {
      args,
      ctx,
      deadline: started + ctx.limits.searchTimeMs,
      matchName: args.name ? nameMatcher(args.name) : null,
      needle: args.contains === undefined ? null : args.caseSensitive ? args.contains : args.contains.toLowerCase(),
      results: [],
      entries: 0,
      filesChecked: 0,
      skipped: { large: 0, binary: 0, linked: 0, unreadable: 0 },
      stop: null,
    };
    const starts = args.path ? [await sandbox.locate(args.path)] : await Promise.all(sandbox.roots.map((r) => sandbox.locate(r.real)));
    if (starts.length === 0) return 'No folders are shared with the assistant yet. The user can add folders in Settings → Files.';
    for (const loc of starts) {
      if (shouldStop(s)) break;
      const dir = await sandbox.openDirectory(loc);
      try {
        await walk(s, dir, '', 0, []);
      } finally {
        await dir.handle?.close();
      }
    }
    const what = [args.name ? `name "${args.name}"` : null, args.contains ? `text "${args.contains}"` : null].filter(Boolean).join(' and ');
    const where = args.path ? starts.map((l) => l.display).join(', ') : 'the shared folders';
    const seconds = ((ctx.now() - started) / 1000).toFixed(1);
    const lines = [
      s.results.length === 0 ? `No files match ${what} in ${where}.` : `${plural(s.results.length, 'file')} match ${what} in ${where}:`,
      ...s.results,
    ];
    lines.push(`Looked at ${plural(s.entries, 'entry', 'entries')}${s.needle !== null ? `, read ${plural(s.filesChecked, 'file')}` : ''} in ${seconds} s.`);
    const skipped = [
      s.skipped.large ? `${formatCount(s.skipped.large)} too large` : null,
      s.skipped.binary ? `${formatCount(s.skipped.binary)} binary` : null,
      s.skipped.linked ? `${formatCount(s.skipped.linked)} links` : null,
      s.skipped.unreadable ? `${formatCount(s.skipped.unreadable)} unreadable` : null,
    ].filter(Boolean);
    if (skipped.length > 0) lines.push(`Skipped: ${skipped.join(', ')}.`);
    const reasons = {
      results: `Stopped at ${args.maxResults} results; there may be more (narrow the search or raise maxResults).`,
      time: `Stopped at the ${ctx.limits.searchTimeMs / 1000} s time limit; results are incomplete.`,
      entries: `Stopped after ${formatCount(ctx.limits.searchEntries)} entries; results are incomplete.`,
      cancelled: 'The search was cancelled; results are incomplete.',
    };
    if (s.stop) lines.push(reasons[s.stop]);
    return limitText(lines.join('\n'), ctx.maxOutputChars);
  },
});
