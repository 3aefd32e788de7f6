/** list_directory: the entries of a shared folder (or the shared folders themselves), with paging. */
import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { PATH_HINT, defineTool } from '../tool-definition.ts';
import type { ToolContext } from '../tool-definition.ts';
import { kindOf } from '../path-sandbox.ts';
import { formatBytes, formatCount, formatDate, limitText, plural } from '../text-format.ts';

const schema = z.object({
  path: z.string().optional().describe('Folder to list, e.g. "~/Documents/projects". Leave out to list the shared folders.'),
  offset: z.number().int().min(0).default(0).describe('Skip this many entries (paging).'),
  limit: z.number().int().min(1).max(200).default(50).describe('At most this many entries (default 50).'),
  showHidden: z.boolean().default(false).describe('Include names starting with a dot.'),
});

interface Entry {
  name: string;
  line: string;
  isDir: boolean;
}

async function describeEntry(ctx: ToolContext, dirAccess: string, dirReal: string, name: string): Promise<Entry> {
  const stat = await fsp.lstat(path.join(dirAccess, name)).catch(() => null);
  if (!stat) return { name, line: `${name} — vanished while listing`, isDir: false };
  const modified = `modified ${formatDate(stat.mtimeMs)}`;
  if (stat.isDirectory()) return { name, line: `${name}/ — folder, ${modified}`, isDir: true };
  if (stat.isFile()) return { name, line: `${name} — file, ${formatBytes(stat.size)}, ${modified}`, isDir: false };
  if (stat.isSymbolicLink()) {
    const target = await fsp.realpath(path.join(dirReal, name)).catch(() => null);
    if (target === null) return { name, line: `${name} — broken link`, isDir: false };
    if (!ctx.sandbox.rootOf(target)) return { name, line: `${name} — link pointing outside the shared folders (not usable)`, isDir: false };
    return { name, line: `${name} — link to ${ctx.sandbox.display(target)}`, isDir: false };
  }
  return { name, line: `${name} — ${kindOf(stat)} (not readable)`, isDir: false };
}

export const listDirectoryTool = defineTool({
  name: 'list_directory',
  description:
    'List what is in a folder the user shared: names, kinds, sizes and modification times, folders first. ' +
    'Call it without a path to learn which folders are shared. Long folders come in pages: use offset to get more.' + PATH_HINT,
  schema,
  risk: 'read',
  timeoutMs: 10_000,
  async run(args, ctx) {
    const sandbox = ctx.sandbox;
    if (args.path === undefined || args.path.trim() === '') {
      if (sandbox.roots.length === 0) return 'No folders are shared with the assistant yet. The user can add folders in Settings → Files.';
      return `Shared folders (${sandbox.roots.length}):\n${sandbox.roots.map((r) => `${r.display}/`).join('\n')}`;
    }
    const loc = await sandbox.locate(args.path);
    const dir = await sandbox.openDirectory(loc);
    try {
      const all = await fsp.readdir(dir.access);
      const hidden = all.filter((n) => n.startsWith('.')).length;
      const names = (args.showHidden ? all : all.filter((n) => !n.startsWith('.'))).sort((a, b) => a.localeCompare(b));
      const entries: Entry[] = [];
      for (const name of names) entries.push(await describeEntry(ctx, dir.access, dir.real, name));
      entries.sort((a, b) => Number(b.isDir) - Number(a.isDir) || a.name.localeCompare(b.name));
      const folders = entries.filter((e) => e.isDir).length;
      const page = entries.slice(args.offset, args.offset + args.limit);
      const lines = [`${dir.display} has ${plural(entries.length, 'entry', 'entries')} (${plural(folders, 'folder')}, ${formatCount(entries.length - folders)} other).`];
      if (!args.showHidden && hidden > 0) lines.push(`${plural(hidden, 'hidden entry', 'hidden entries')} not shown (showHidden: true shows them).`);
      if (entries.length === 0) return lines.join('\n');
      if (page.length === 0) {
        lines.push(`Nothing at offset ${args.offset}; there are only ${formatCount(entries.length)}.`);
        return lines.join('\n');
      }
      lines.push(`Showing ${formatCount(args.offset + 1)}–${formatCount(args.offset + page.length)}:`);
      for (const e of page) lines.push(e.line);
      const rest = entries.length - args.offset - page.length;
      if (rest > 0) lines.push(`[${plural(rest, 'more entry', 'more entries')}: ask again with offset ${args.offset + page.length}]`);
      return limitText(lines.join('\n'), ctx.maxOutputChars);
    } finally {
      await dir.handle?.close();
    }
  },
});
