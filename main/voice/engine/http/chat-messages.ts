/**
 * The pieces of a Chat Completions request that both HTTP engines write the same way
 * (ChatCompletionMessageParam, ChatCompletionTool in openai/resources/chat/completions/completions.d.ts):
 * our tools in the Chat Completions shape, an assistant message's tool calls and the `tool` messages
 * that must follow them, a picture the user shows, and the mark on an answer the user cut off.
 */
import type {
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
  ChatCompletionTool,
} from 'openai/resources/chat/completions/completions';
import type { FunctionToolDefinition } from '../../../tools/tool-host.ts';
import type { UserImage } from '../engine.ts';

/** Appended to an answer the user cut off: the model then knows the rest was not heard. */
export const INTERRUPTED_MARK = '… [interrupted: the user stopped me here and did not hear the rest]';
/** Stands in for the result of a call that had not finished when the user moved on. */
export const MISSING_TOOL_OUTPUT = 'No result: the user interrupted before this call finished.';

export interface ToolCallRecord {
  id: string;
  name: string;
  arguments: string;
}

/** The heard part of an answer, marked as interrupted. */
export function interruptedText(heard: string): string {
  return `${heard}${INTERRUPTED_MARK}`;
}

/** Our tool definitions (Realtime shape: name at the top) → ChatCompletionFunctionTool `{ type, function: { name, description, parameters } }`. */
export function chatTools(tools: readonly FunctionToolDefinition[]): ChatCompletionTool[] {
  return tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
}

/** An assistant message's `tool_calls`. */
export function toolCallParams(calls: readonly ToolCallRecord[]): ChatCompletionMessageToolCall[] {
  return calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
}

/**
 * The `tool` messages after an assistant message with `tool_calls`: the API refuses the request unless
 * every call id is answered, so a call whose output never came (the user moved on) gets a placeholder.
 */
export function toolResultMessages(calls: readonly ToolCallRecord[], outputs: ReadonlyMap<string, string>): ChatCompletionMessageParam[] {
  return calls.map((c) => ({ role: 'tool', tool_call_id: c.id, content: outputs.get(c.id) ?? MISSING_TOOL_OUTPUT }));
}

/** A picture the user shows (ChatCompletionContentPartImage; a data URL is accepted), with their words if any. */
export function imageContent(image: UserImage, text: string | null): ChatCompletionContentPart[] {
  const parts: ChatCompletionContentPart[] = [{ type: 'image_url', image_url: { url: image.dataUrl, detail: image.detail } }];
  if (text) parts.push({ type: 'text', text });
  return parts;
}
