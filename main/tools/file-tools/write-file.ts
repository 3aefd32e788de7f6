/** write_file and append_file: write text (UTF-8) to a file in a shared folder, after approval. */
import { z } from 'zod';
import { PATH_HINT, defineTool } from '../tool-definition.ts';
import type { ActionPreview, ToolContext } from '../tool-definition.ts';
import type { Located } from '../path-sandbox.ts';
import { PathRefused, ToolError } from '../tool-error.ts';
import { formatBytes, plural } from '../text-format.ts';

const MAX_CONTENT_CHARS = 1_000_000;
const PREVIEW_CHARS = 600;

function previewOf(content: string): string {
  return content.length <= PREVIEW_CHARS ? content : `${content.slice(0, PREVIEW_CHARS)}\n… (${plural(content.length - PREVIEW_CHARS, 'more character')})`;
}

function lineCount(content: string): number {
  if (content === '') return 0;
  return content.split('\n').length - (content.endsWith('\n') ? 1 : 0);
}

/** Re-checks the path at run time: it must still be what the user approved. */
async function locateApproved(ctx: ToolContext, input: string, approved: ActionPreview | null): Promise<Located> {
  const loc = await ctx.sandbox.locate(input, { allowMissing: true });
  if (approved?.target !== undefined && approved.target !== loc.real) {
    throw new PathRefused(`Refused: ${input} now points somewhere other than what was approved (${approved.path ?? approved.target}).`);
  }
  return loc;
}

/** Where a write or append would land: a file (existing or new) whose folder exists. */
async function locateFileTarget(ctx: ToolContext, path: string): Promise<Located> {
  const loc = await ctx.sandbox.locate(path, { allowMissing: true });
  if (loc.missing.length > 1) throw new ToolError(`The folder for ${loc.display} does not exist; create it first with create_directory.`);
  if (loc.stat?.isDirectory()) throw new ToolError(`${loc.display} is a folder.`);
  return loc;
}

const writeSchema = z.object({
  path: z.string().describe('The file to write, e.g. "~/Documents/notes.txt". Its folder must exist.'),
  content: z.string().max(MAX_CONTENT_CHARS).describe('The full text to write (UTF-8).'),
  overwrite: z.boolean().default(false).describe('Replace the file if it exists. Without it an existing file is left alone.'),
});

export const writeFileTool = defineTool({
  name: 'write_file',
  description:
    'Write a text file in a folder the user shared. The user is asked to approve first and sees the path and the ' +
    'start of the text. Set overwrite to replace an existing file; to add to a file use append_file.' + PATH_HINT,
  schema: writeSchema,
  risk: 'write',
  timeoutMs: 15_000,
  async describe(args, ctx) {
    const loc = await locateFileTarget(ctx, args.path);
    const bytes = Buffer.byteLength(args.content);
    if (loc.stat && !args.overwrite) throw new ToolError(`${loc.display} already exists. Ask the user, then call again with overwrite: true to replace it.`);
    const summary = loc.stat
      ? `Replace ${loc.display} (${formatBytes(Number(loc.stat.size))}) with ${formatBytes(bytes)}`
      : `Write ${formatBytes(bytes)} to ${loc.display}`;
    return { summary, path: loc.display, preview: previewOf(args.content), target: loc.real };
  },
  async run(args, ctx, approved) {
    const loc = await locateApproved(ctx, args.path, approved);
    const exists = loc.missing.length === 0;
    if (exists && !args.overwrite) throw new ToolError(`${loc.display} already exists; nothing was written.`);
    const file = await ctx.sandbox.openForWrite(loc, exists ? 'overwrite' : 'create');
    try {
      await file.handle.writeFile(args.content, 'utf8');
    } finally {
      await file.handle.close();
    }
    const bytes = Buffer.byteLength(args.content);
    return `${file.created ? 'Created' : 'Replaced'} ${loc.display}: ${formatBytes(bytes)}, ${plural(lineCount(args.content), 'line')}.`;
  },
});

const appendSchema = z.object({
  path: z.string().describe('The file to add to, e.g. "~/Documents/journal.txt". Created if missing; its folder must exist.'),
  content: z.string().min(1).max(MAX_CONTENT_CHARS).describe('Text to add at the end (UTF-8). Include a leading newline if needed.'),
});

export const appendFileTool = defineTool({
  name: 'append_file',
  description: 'Add text at the end of a file in a folder the user shared (creating it if missing). The user is asked to approve first.' + PATH_HINT,
  schema: appendSchema,
  risk: 'write',
  timeoutMs: 15_000,
  async describe(args, ctx) {
    const loc = await locateFileTarget(ctx, args.path);
    const bytes = Buffer.byteLength(args.content);
    const summary = loc.stat ? `Append ${formatBytes(bytes)} to ${loc.display}` : `Create ${loc.display} with ${formatBytes(bytes)}`;
    return { summary, path: loc.display, preview: previewOf(args.content), target: loc.real };
  },
  async run(args, ctx, approved) {
    const loc = await locateApproved(ctx, args.path, approved);
    const file = await ctx.sandbox.openForWrite(loc, 'append');
    let size: number;
    try {
      await file.handle.appendFile(args.content, 'utf8');
      size = Number((await file.handle.stat({ bigint: true })).size);
    } finally {
      await file.handle.close();
    }
    const bytes = Buffer.byteLength(args.content);
    return `${file.created ? 'Created' : 'Appended to'} ${loc.display}: added ${formatBytes(bytes)}; it is now ${formatBytes(size)}.`;
  },
});
