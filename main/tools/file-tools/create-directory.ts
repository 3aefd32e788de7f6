/** create_directory: make a folder (and missing parents) inside a shared folder, after approval. */
import { z } from 'zod';
import { PATH_HINT, defineTool } from '../tool-definition.ts';
import { PathRefused, ToolError } from '../tool-error.ts';
import { plural } from '../text-format.ts';

const schema = z.object({
  path: z.string().describe('The folder to create, e.g. "~/Documents/trip-2025". Missing parent folders are created too.'),
});

export const createDirectoryTool = defineTool({
  name: 'create_directory',
  description: 'Create a folder (and any missing parent folders) inside a folder the user shared. The user is asked to approve first.' + PATH_HINT,
  schema,
  risk: 'write',
  timeoutMs: 10_000,
  async describe(args, ctx) {
    const loc = await ctx.sandbox.locate(args.path, { allowMissing: true });
    if (loc.missing.length === 0) {
      throw new ToolError(loc.stat?.isDirectory() ? `${loc.display} already exists.` : `${loc.display} exists and is not a folder.`);
    }
    const extra = loc.missing.length > 1 ? ` (${plural(loc.missing.length, 'new folder')})` : '';
    return { summary: `Create folder ${loc.display}${extra}`, path: loc.display, target: loc.real };
  },
  async run(args, ctx, approved) {
    const loc = await ctx.sandbox.locate(args.path, { allowMissing: true });
    if (approved?.target !== undefined && approved.target !== loc.real) {
      throw new PathRefused(`Refused: ${args.path} now points somewhere other than what was approved.`);
    }
    if (loc.missing.length === 0) return `${loc.display} already exists; nothing to do.`;
    const made = await ctx.sandbox.makeDirectories(loc);
    return `Created ${loc.display}${made > 1 ? ` (${plural(made, 'folder')})` : ''}.`;
  },
});
