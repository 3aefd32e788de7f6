/** read_clipboard and write_clipboard, through the ClipboardPort the app provides. */
import { z } from 'zod';
import { defineTool } from './tool-definition.ts';
import type { ToolContext } from './tool-definition.ts';
import type { ClipboardPort } from './ports.ts';
import { ToolError } from './tool-error.ts';
import { limitText, plural } from './text-format.ts';

const MAX_WRITE_CHARS = 100_000;

function clipboardOf(ctx: ToolContext): ClipboardPort {
  if (!ctx.clipboard) throw new ToolError('There is no clipboard available here.');
  return ctx.clipboard;
}

export const readClipboardTool = defineTool({
  name: 'read_clipboard',
  description: 'Read the text on the clipboard. Off unless the user turned on clipboard reading in Settings → Privacy.',
  schema: z.object({}),
  risk: 'read',
  timeoutMs: 5_000,
  async run(_args, ctx) {
    const text = await clipboardOf(ctx).readText();
    if (text === '') return 'The clipboard is empty (or holds no text).';
    return limitText(`The clipboard holds ${plural(text.length, 'character')}:\n${text}`, ctx.maxOutputChars);
  },
});

export const writeClipboardTool = defineTool({
  name: 'write_clipboard',
  description: 'Put text on the clipboard so the user can paste it. The user is asked first unless they allowed it.',
  schema: z.object({ text: z.string().min(1).max(MAX_WRITE_CHARS).describe('The text to copy.') }),
  risk: 'write',
  timeoutMs: 5_000,
  async describe(args) {
    const preview = args.text.length > 600 ? `${args.text.slice(0, 600)}\n…` : args.text;
    return { summary: `Copy ${plural(args.text.length, 'character')} to the clipboard`, preview };
  },
  async run(args, ctx) {
    await clipboardOf(ctx).writeText(args.text);
    return `Copied ${plural(args.text.length, 'character')} to the clipboard.`;
  },
});
