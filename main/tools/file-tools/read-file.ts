/** read_file: a text file from a shared folder, optionally a range of lines, with encoding detection. */
import { z } from 'zod';
import { PATH_HINT, defineTool } from '../tool-definition.ts';
import { decodeText, encodingLabel } from '../text-decoding.ts';
import { formatBytes, formatCount, plural } from '../text-format.ts';

/** Files above this size are refused from stat alone, before anything is read. */
export const READ_LIMIT_BYTES = 4 * 1024 * 1024;
const MAX_LINE_CHARS = 2000;

const schema = z
  .object({
    path: z.string().describe('The file, e.g. "~/Documents/notes.txt".'),
    startLine: z.number().int().min(1).optional().describe('First line to return (1-based).'),
    endLine: z.number().int().min(1).optional().describe('Last line to return (inclusive).'),
    encoding: z
      .enum(['auto', 'utf-8', 'utf-16le', 'utf-16be', 'latin1'])
      .default('auto')
      .describe('Text encoding; "auto" detects a byte-order mark, then UTF-8, falling back to Latin-1.'),
  })
  .refine((a) => a.startLine === undefined || a.endLine === undefined || a.endLine >= a.startLine, {
    message: 'endLine must not be before startLine',
    path: ['endLine'],
  });

export const readFileTool = defineTool({
  name: 'read_file',
  description:
    'Read a text file from a folder the user shared. Returns numbered lines; for long files ask for a ' +
    'range with startLine and endLine. Binary files (images, PDFs, programs) are described, not read. ' +
    `Files over ${formatBytes(READ_LIMIT_BYTES)} are refused.` + PATH_HINT,
  schema,
  risk: 'read',
  timeoutMs: 10_000,
  async run(args, ctx) {
    const loc = await ctx.sandbox.locate(args.path);
    const file = await ctx.sandbox.openForRead(loc, READ_LIMIT_BYTES);
    let bytes: Buffer;
    try {
      const size = Number(file.stat.size);
      bytes = Buffer.alloc(size);
      let read = 0;
      while (read < size) {
        const { bytesRead } = await file.handle.read(bytes, read, size - read, read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      bytes = bytes.subarray(0, read);
    } finally {
      await file.handle.close();
    }
    if (bytes.length === 0) return `${file.display} is empty (0 bytes).`;
    const decoded = decodeText(bytes, args.encoding);
    if (decoded.kind === 'binary') {
      return `${file.display} is ${decoded.what} (${formatBytes(bytes.length)}); it cannot be read as text.`;
    }
    const lines = decoded.text.split(/\r?\n/);
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    const total = lines.length;
    const start = args.startLine ?? 1;
    const end = Math.min(args.endLine ?? total, total);
    const header = `${file.display} — ${encodingLabel(decoded.encoding, decoded.bom)}, ${formatBytes(bytes.length)}, ${plural(total, 'line')}.`;
    if (start > total) return `${header}\nThere is no line ${formatCount(start)}; the file has ${formatCount(total)} lines.`;

    const budget = ctx.maxOutputChars - header.length - 200;
    const out: string[] = [];
    let used = 0;
    let last = start - 1;
    for (let n = start; n <= end; n += 1) {
      let text = lines[n - 1] ?? '';
      if (text.length > MAX_LINE_CHARS) text = `${text.slice(0, MAX_LINE_CHARS)} [line cut: ${formatCount(text.length)} characters]`;
      const line = `${n}: ${text}`;
      if (used + line.length + 1 > budget && out.length > 0) break;
      out.push(line);
      used += line.length + 1;
      last = n;
    }
    const parts = [`${header} Lines ${formatCount(start)}–${formatCount(last)}:`, ...out];
    if (last < end) {
      parts.push(`[cut: showed lines ${formatCount(start)}–${formatCount(last)} of ${formatCount(total)}; ask with startLine ${last + 1} for more]`);
    }
    return parts.join('\n');
  },
});
