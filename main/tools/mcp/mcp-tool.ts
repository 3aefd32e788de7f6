/**
 * One MCP server tool as a Tool of ours, so the tool host runs it like any other: the arguments are
 * checked against the tool's JSON Schema before anyone is asked (ajv through the SDK's own validator),
 * the approval card names the server and the tool and shows the arguments, the call runs with the
 * server's time limit, and the result comes back as text within the output limit (call-result.ts).
 * A result with `isError` becomes an error result with the server's words.
 */
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { JsonSchemaType, JsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import type { ToolPolicy } from '../ports.ts';
import type { ActionPreview, Tool } from '../tool-definition.ts';
import { ToolError } from '../tool-error.ts';
import { limitText } from '../text-format.ts';
import { formatCallResult, type McpCallOutcome } from './call-result.ts';
import type { McpServerConfig, McpToolInfo } from './types.ts';

const MAX_DESCRIPTION = 1_000;
const MAX_PREVIEW = 1_500;

/** What runs a call on the tool's server (McpConnection). */
export interface McpCaller {
  call(toolName: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallOutcome>;
}

export interface McpToolSpec {
  /** The name the model sees (tool-names.ts). */
  name: string;
  server: Pick<McpServerConfig, 'id' | 'name' | 'timeoutMs'>;
  info: McpToolInfo;
  policy: ToolPolicy;
  caller: McpCaller;
}

const validators = new AjvJsonSchemaValidator();

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The tool's input schema as a function's `parameters`: an object schema without `$schema`. */
function parametersOf(inputSchema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = inputSchema;
  return { ...rest, type: 'object', ...(isRecord(rest.properties) ? {} : { properties: {} }) };
}

function descriptionOf(spec: McpToolSpec): string {
  const own = (spec.info.description ?? spec.info.title ?? '').trim();
  const origin = `(Tool "${spec.info.name}" of the MCP server "${spec.server.name}".)`;
  const text = own === '' ? `Runs ${spec.info.name}. ${origin}` : `${own} ${origin}`;
  return text.length > MAX_DESCRIPTION ? `${own.slice(0, MAX_DESCRIPTION - origin.length - 2)}… ${origin}` : text;
}

function previewOf(args: Record<string, unknown>): string {
  const text = Object.keys(args).length === 0 ? '(no arguments)' : JSON.stringify(args, null, 2);
  return text.length > MAX_PREVIEW ? `${text.slice(0, MAX_PREVIEW)}\n…` : text;
}

export function mcpTool(spec: McpToolSpec): Tool {
  const readOnly = spec.info.annotations?.readOnlyHint === true;
  let validate: JsonSchemaValidator<unknown> | null | undefined;
  const validator = (): JsonSchemaValidator<unknown> | null => {
    if (validate === undefined) {
      try {
        validate = validators.getValidator<unknown>(spec.info.inputSchema as JsonSchemaType);
      } catch {
        // A schema ajv cannot compile (another draft, say): the server checks the arguments itself.
        validate = null;
      }
    }
    return validate;
  };
  const label = spec.info.title && spec.info.title !== spec.info.name ? `${spec.info.title} (${spec.info.name})` : spec.info.name;

  return {
    name: spec.name,
    description: descriptionOf(spec),
    risk: readOnly ? 'read' : 'write',
    timeoutMs: spec.server.timeoutMs,
    parameters: parametersOf(spec.info.inputSchema),
    source: { kind: 'mcp', serverId: spec.server.id, serverName: spec.server.name, toolName: spec.info.name, policy: spec.policy },
    prepare(args, ctx) {
      if (!isRecord(args)) return { ok: false, message: 'the arguments must be a JSON object' };
      const check = validator()?.(args);
      if (check && !check.valid) return { ok: false, message: check.errorMessage };
      return {
        ok: true,
        call: {
          describe: (): Promise<ActionPreview> =>
            Promise.resolve({ summary: `Run ${label} on the MCP server "${spec.server.name}"`, preview: previewOf(args) }),
          async run() {
            const result = await spec.caller.call(spec.info.name, args, ctx.signal);
            const text = formatCallResult(result, ctx.maxOutputChars);
            if (result.isError === true) {
              throw new ToolError(limitText(`${spec.info.name} on the MCP server "${spec.server.name}" reported an error: ${text}`, ctx.maxOutputChars));
            }
            return text;
          },
        },
      };
    },
  };
}
