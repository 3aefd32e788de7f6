/**
 * look_at_screen: the model asks to see the screen or one window. Its risk is 'private', so it asks
 * first by default like a write ("Look at your screen"); after a yes the ScreenLooker captures with
 * its indicator and notice, and the result carries the image, which the session adds to the
 * conversation as a user image right after the text output (main/voice/session-tools.ts, ToolRunner.run).
 */
import { z } from 'zod';
import { defineTool } from '../tool-definition.ts';
import type { ToolContext } from '../tool-definition.ts';
import { ToolError } from '../tool-error.ts';
import type { ScreenLooker } from './screen-looker.ts';
import { ScreenLookError } from './screen-looker.ts';

function lookerOf(ctx: ToolContext): ScreenLooker {
  if (!ctx.screen) throw new ToolError('Looking at the screen is not available here.');
  return ctx.screen;
}

const schema = z
  .object({
    which: z.enum(['screen', 'window']).describe('The whole screen, or one window.'),
    window: z.string().trim().min(1).max(200).optional().describe('Part of the window title, when which is "window" (for example "Terminal").'),
  })
  .strict();

export const lookAtScreenTool = defineTool({
  name: 'look_at_screen',
  description:
    'Look at the user’s screen, or at one window by its title, when they ask about something they see. The user is asked first; the picture is added to the conversation after the result.',
  schema,
  risk: 'private',
  timeoutMs: 8_000,
  async describe(args, ctx) {
    try {
      lookerOf(ctx).assertConsent();
    } catch (error) {
      if (error instanceof ScreenLookError) throw new ToolError(error.message);
      throw error;
    }
    return args.which === 'screen' || !args.window
      ? { summary: args.which === 'screen' ? 'Look at your screen' : 'Look at one of your windows' }
      : { summary: `Look at your window “${args.window}”` };
  },
  async run(args, ctx) {
    try {
      const looked = await lookerOf(ctx).look({ which: args.which, ...(args.window ? { windowName: args.window } : {}) });
      return {
        output: `Captured ${looked.sourceName}, ${looked.width}×${looked.height}.`,
        image: { ...looked.image, about: { label: looked.sourceName, width: looked.width, height: looked.height, estimatedTokens: looked.estimatedTokens } },
      };
    } catch (error) {
      if (error instanceof ScreenLookError) throw new ToolError(error.message);
      throw error;
    }
  },
});
