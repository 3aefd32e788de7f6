/**
 * Stage 2: one streamed Chat Completions round (ChatCompletionCreateParamsStreaming in
 * openai/resources/chat/completions/completions.d.ts) with the instructions, the history and the
 * tools. Text arrives as `delta.content`; tool calls as `delta.tool_calls` pieces (index, then id and
 * name once, then the arguments in fragments) that are assembled here; usage comes in the last chunk
 * when `stream_options.include_usage` is set. Chunks are checked with zod before use.
 */
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions/completions';
import { z } from 'zod';
import type { Clock } from '../../../base/clock.ts';
import type { FunctionToolDefinition } from '../../../tools/tool-host.ts';
import type { VoiceConfig } from '../../config.ts';
import type { ChatTokens } from '../../cost/http-prices.ts';
import type { ToolCallRecord } from '../http/chat-messages.ts';
import { chatTools } from '../http/chat-messages.ts';
import type { Stage } from '../http/stage-client.ts';
import { requestControl } from '../http/request-control.ts';

export interface ChatInput {
  stage: Stage;
  model: string;
  messages: ChatCompletionMessageParam[];
  tools: FunctionToolDefinition[];
  config: Pick<VoiceConfig, 'toolChoice' | 'maxOutputTokens'>;
  signal: AbortSignal;
  clock: Clock;
  idleMs: number;
  onText: (delta: string) => void;
  /** The first chunk of the body arrived (for the per-stage timing log). */
  onFirstChunk?: () => void;
  /** The service answered (its headers came): from here on the request is billed even if cut off. */
  onAnswered?: () => void;
  /** Characters generated in a chunk (text and tool-call pieces), for the estimate of a cut-off answer. */
  onReceived?: (chars: number) => void;
}

export interface ChatResult {
  text: string;
  toolCalls: ToolCallRecord[];
  usage: ChatTokens | null;
  finishReason: string | null;
}

const ChunkSchema = z
  .object({
    choices: z.array(
      z
        .object({
          delta: z
            .object({
              content: z.string().nullish(),
              tool_calls: z
                .array(
                  z
                    .object({
                      index: z.number().int().nonnegative(),
                      id: z.string().nullish(),
                      function: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }).loose().nullish(),
                    })
                    .loose(),
                )
                .nullish(),
            })
            .loose(),
          finish_reason: z.string().nullish(),
        })
        .loose(),
    ),
    usage: z
      .object({
        prompt_tokens: z.number().nonnegative(),
        completion_tokens: z.number().nonnegative(),
        prompt_tokens_details: z.object({ cached_tokens: z.number().nonnegative().nullish() }).loose().nullish(),
      })
      .loose()
      .nullish(),
  })
  .loose();

export async function streamChat(input: ChatInput): Promise<ChatResult> {
  const tools = chatTools(input.tools);
  const rc = requestControl(input.signal, input.clock, input.idleMs);
  try {
    const stream = await input.stage.client.chat.completions.create(
      {
        model: input.model,
        messages: input.messages,
        stream: true,
        stream_options: { include_usage: true },
        ...(tools.length > 0 ? { tools, tool_choice: input.config.toolChoice } : {}),
        ...(input.config.maxOutputTokens !== 'inf' ? { max_completion_tokens: input.config.maxOutputTokens } : {}),
      },
      { signal: rc.signal },
    );
    rc.alive();
    input.onAnswered?.();
    let text = '';
    let usage: ChatTokens | null = null;
    let finishReason: string | null = null;
    let first = true;
    const calls = new Map<number, { id: string; name: string; arguments: string }>();
    for await (const raw of stream) {
      rc.alive();
      if (first) {
        first = false;
        input.onFirstChunk?.();
      }
      const parsed = ChunkSchema.safeParse(raw);
      if (!parsed.success) continue;
      const chunk = parsed.data;
      if (chunk.usage) {
        usage = {
          promptTokens: chunk.usage.prompt_tokens,
          cachedTokens: chunk.usage.prompt_tokens_details?.cached_tokens ?? 0,
          completionTokens: chunk.usage.completion_tokens,
        };
      }
      const choice = chunk.choices[0];
      if (!choice) continue;
      if (choice.finish_reason) finishReason = choice.finish_reason;
      const delta = choice.delta;
      const generated = (delta.content?.length ?? 0) + (delta.tool_calls ?? []).reduce((n, tc) => n + (tc.function?.name?.length ?? 0) + (tc.function?.arguments?.length ?? 0), 0);
      if (generated > 0) input.onReceived?.(generated);
      if (delta.content) {
        text += delta.content;
        input.onText(delta.content);
      }
      for (const tc of delta.tool_calls ?? []) {
        const call = calls.get(tc.index) ?? { id: '', name: '', arguments: '' };
        if (tc.id) call.id = tc.id;
        if (tc.function?.name) call.name += tc.function.name;
        if (tc.function?.arguments) call.arguments += tc.function.arguments;
        calls.set(tc.index, call);
      }
    }
    if (finishReason == null) throw new Error('the chat stream ended before its last chunk');
    const toolCalls = [...calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, c]) => ({ id: c.id || `call_es${index}`, name: c.name, arguments: c.arguments || '{}' }))
      .filter((c) => c.name);
    return { text, toolCalls, usage, finishReason };
  } catch (err) {
    throw rc.reason(err);
  } finally {
    rc.done();
  }
}
