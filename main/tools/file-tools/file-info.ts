/** file_info: what a path is — kind, size, dates, permissions, and for files whether it is text. */
import fsp from 'node:fs/promises';
import { z } from 'zod';
import { PATH_HINT, defineTool } from '../tool-definition.ts';
import { kindOf } from '../path-sandbox.ts';
import { detectBinary } from '../text-decoding.ts';
import { formatBytes, formatCount, formatDate, plural } from '../text-format.ts';
import { READ_LIMIT_BYTES } from './read-file.ts';

const schema = z.object({
  path: z.string().describe('A file or folder, e.g. "~/Documents/report.pdf".'),
});

function permissions(mode: number): string {
  const bits = 'rwxrwxrwx';
  let out = '';
  for (let i = 0; i < 9; i += 1) out += mode & (1 << (8 - i)) ? bits[i] : '-';
  return out;
}

export const fileInfoTool = defineTool({
  name: 'file_info',
  description: 'Describe a file or folder the user shared: kind, size, when it was modified and created, permissions, and whether a file is text.' + PATH_HINT,
  schema,
  risk: 'read',
  timeoutMs: 10_000,
  async run(args, ctx) {
    const loc = await ctx.sandbox.locate(args.path);
    const stat = loc.stat;
    if (!stat) return `${loc.display} does not exist.`;
    const dates = `modified ${formatDate(Number(stat.mtimeMs))}, created ${formatDate(Number(stat.birthtimeMs || stat.ctimeMs))}`;
    const perms = `permissions ${permissions(Number(stat.mode))}`;
    if (stat.isDirectory()) {
      const dir = await ctx.sandbox.openDirectory(loc);
      try {
        const names = await fsp.readdir(dir.access);
        return `${loc.display}: folder with ${plural(names.length, 'entry', 'entries')}, ${dates}, ${perms}.`;
      } finally {
        await dir.handle?.close();
      }
    }
    if (!stat.isFile()) return `${loc.display}: ${kindOf(stat)}, ${dates}. It is not a normal file and cannot be read.`;
    const size = Number(stat.size);
    const base = `${loc.display}: file, ${formatBytes(size)} (${formatCount(size)} bytes), ${dates}, ${perms}`;
    if (size > READ_LIMIT_BYTES) return `${base}. Too large for read_file.`;
    if (size === 0) return `${base}. Empty.`;
    const file = await ctx.sandbox.openForRead(loc, READ_LIMIT_BYTES);
    try {
      const head = Buffer.alloc(Math.min(size, 8192));
      const { bytesRead } = await file.handle.read(head, 0, head.length, 0);
      const binary = detectBinary(head.subarray(0, bytesRead));
      const links = stat.nlink > 1n ? `, ${stat.nlink} hard links (all inside the shared folders)` : '';
      return `${base}${links}. ${binary ? `Looks like ${binary}.` : 'Looks like text.'}`;
    } finally {
      await file.handle.close();
    }
  },
});
