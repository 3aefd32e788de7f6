/**
 * What a tool is: a name, a description written for a voice model, a zod schema for its arguments,
 * a risk level, a timeout, and the code that runs it. `defineTool` erases the argument type behind a
 * `prepare` step, so the registry can hold tools of different shapes without casts.
 */
import { z } from 'zod';
import type { ClipboardPort, ToolPolicy, ToolRisk } from './ports.ts';
import type { PathSandbox } from './path-sandbox.ts';
import type { ToolImage } from './tool-host.ts';
import type { ScreenLooker } from './screen/screen-looker.ts';

export interface ToolContext {
  sandbox: PathSandbox;
  clipboard: ClipboardPort | null;
  /** Screen capture with consent and indicator (null where there is no desktop: the CLI). */
  screen: ScreenLooker | null;
  /** Aborted when the call times out or is cancelled. */
  signal: AbortSignal;
  /** Longest output a tool should produce (the host cuts anything longer as a last resort). */
  maxOutputChars: number;
  /** Monotonic milliseconds, for time bounds. */
  now(): number;
  limits: ToolLimits;
}

export interface ToolLimits {
  /** search_files stops after this long (default 5 s). */
  searchTimeMs: number;
  /** search_files stops after visiting this many entries (default 50 000). */
  searchEntries: number;
}

export const DEFAULT_LIMITS: ToolLimits = { searchTimeMs: 5_000, searchEntries: 50_000 };

/** The exact action shown to the user before a tool that asks runs. */
export interface ActionPreview {
  summary: string;
  path?: string;
  preview?: string;
  /** The real path that was checked and shown; `run` refuses if it resolves elsewhere by then. */
  target?: string;
}

export interface ToolSpec<S extends z.ZodType> {
  name: string;
  description: string;
  schema: S;
  risk: ToolRisk;
  timeoutMs?: number;
  /** Checks the arguments against the world and describes the exact action (for approval prompts). */
  describe?(args: z.output<S>, ctx: ToolContext): Promise<ActionPreview>;
  /** `approved` is what the user approved (null when no approval was needed). */
  run(args: z.output<S>, ctx: ToolContext, approved: ActionPreview | null): Promise<string | ToolRunOutput>;
}

/** What a tool returns when it has more than text: a picture for the model (look_at_screen). */
export interface ToolRunOutput {
  output: string;
  image?: ToolImage;
}

export interface PreparedCall {
  describe(): Promise<ActionPreview>;
  run(approved: ActionPreview | null): Promise<string | ToolRunOutput>;
}

export type PrepareResult = { ok: true; call: PreparedCall } | { ok: false; message: string };

export interface Tool {
  readonly name: string;
  readonly description: string;
  readonly risk: ToolRisk;
  readonly timeoutMs: number | undefined;
  /** JSON Schema of the arguments (zod v4 `z.toJSONSchema`, input side, without `$schema`). */
  readonly parameters: Record<string, unknown>;
  prepare(args: unknown, ctx: ToolContext): PrepareResult;
  /**
   * Set for a tool that comes from outside Earshot (an MCP server's, main/tools/mcp/): its policy was
   * decided by that server's settings, and its timeoutMs is the server's own (not capped by the host).
   */
  readonly source?: ToolSource;
}

export interface ToolSource {
  kind: 'mcp';
  serverId: string;
  serverName: string;
  /** The tool's name on its server (the model sees a prefixed, sanitised one). */
  toolName: string;
  policy: ToolPolicy;
}

/** Appended to every file tool's description so the model knows how to name paths. */
export const PATH_HINT =
  ' Paths look like "~/Documents/notes.txt" (as list_directory shows them); a relative path starts in the first shared folder.';

export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const json: Record<string, unknown> = { ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) };
  delete json.$schema;
  return json;
}

/** Readable zod issues: "startLine: expected a number ≥ 1". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`)
    .join('; ');
}

export function defineTool<S extends z.ZodType>(spec: ToolSpec<S>): Tool {
  return {
    name: spec.name,
    description: spec.description,
    risk: spec.risk,
    timeoutMs: spec.timeoutMs,
    parameters: jsonSchemaOf(spec.schema),
    prepare(args, ctx) {
      const parsed = spec.schema.safeParse(args);
      if (!parsed.success) return { ok: false, message: describeIssues(parsed.error) };
      const value = parsed.data;
      return {
        ok: true,
        call: {
          describe: () => (spec.describe ? spec.describe(value, ctx) : Promise.resolve({ summary: `Run ${spec.name}` })),
          run: (approved) => spec.run(value, ctx, approved),
        },
      };
    },
  };
}
