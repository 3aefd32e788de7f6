/**
 * Tool calls within a turn (DESIGN §2 "Tool call"): run our own tools through the ToolHost, answer a
 * native MCP server's approval request, put a tool's picture in front of the model, and ask for the
 * follow-up response once no tool of the turn is pending. A tool never ends the session: whatever
 * happens becomes text for the model.
 */
import type { ToolCallView } from '../../preload/contract.ts';
import type { FunctionCall, VoiceEngine } from './engine/engine.ts';
import type { NativeApprovalRequest, ToolCallResult, ToolHost } from '../tools/tool-host.ts';
import type { Clock } from '../base/clock.ts';
import type { SessionEvents } from './ports.ts';
import type { StatusLine } from './session-api.ts';
import type { TurnLedger } from './session-turns.ts';
import type { ActiveTurn } from './turn.ts';
import { textItemId } from './session-turns.ts';
import { redact } from '../base/redact.ts';

export interface ToolRunnerDeps {
  tools: ToolHost;
  clock: Clock;
  events: Pick<SessionEvents, 'toolCall' | 'notice'>;
  engine(): VoiceEngine;
  ledger: Pick<TurnLedger, 'forTool' | 'maybeFinish' | 'noteImage'>;
  status: StatusLine;
  conversationId(): string;
  disposed(): boolean;
  changed(): void;
}

const WAITING = 'Waiting for your approval';

export class ToolRunner {
  #d: ToolRunnerDeps;

  constructor(deps: ToolRunnerDeps) {
    this.#d = deps;
  }

  /** A call's progress, for the window; while one waits for approval, the status line says so. */
  onView(view: ToolCallView): void {
    const { events, status } = this.#d;
    events.toolCall(view);
    if (view.status === 'awaiting-approval') {
      status.set(`${WAITING} to run ${view.name}…`);
      events.notice({ level: 'info', message: `${WAITING} to run ${view.name}.`, subject: 'approval' });
      this.#d.changed();
    } else if (status.get()?.startsWith(WAITING)) {
      status.set(null);
      this.#d.changed();
    }
  }

  /**
   * A native MCP server's tool waits for approval (engine.ts mcpApprovalRequest): counted like a
   * running tool of the turn, answered through the tool host (policy, approval card), then the
   * follow-up response is asked for, as after a function call's output.
   */
  async answerMcpApproval(request: NativeApprovalRequest & { responseId: string }): Promise<void> {
    const t = this.#begin(request.responseId);
    const { responseId: _responseId, ...asked } = request;
    let answer: { approve: boolean; reason?: string };
    try {
      answer = (await this.#d.tools.approveNative?.({ ...asked, conversationId: this.#d.conversationId() })) ?? { approve: false, reason: 'this app cannot approve MCP tools' };
    } catch (err) {
      answer = { approve: false, reason: `the approval failed (${redact(String(err))})` };
    }
    if (this.#d.disposed()) return;
    this.#d.engine().answerMcpApproval?.(request.id, answer.approve, answer.reason);
    if (t) this.#settle(t);
    this.#d.changed();
  }

  async run(call: Pick<FunctionCall, 'callId' | 'name' | 'argumentsJson' | 'responseId'>): Promise<void> {
    const { callId, name, argumentsJson } = call;
    const { clock, tools } = this.#d;
    const t = this.#begin(call.responseId);
    let result: ToolCallResult;
    const started = clock.now();
    try {
      result = await tools.execute({ callId, name, argumentsJson, conversationId: this.#d.conversationId() });
    } catch (err) {
      // ToolHost promises never to throw; if it does anyway, the model still gets an answer.
      result = { output: `Error: the tool failed (${redact(String(err))}).`, status: 'error', durationMs: clock.now() - started };
    }
    if (this.#d.disposed()) return;
    const engine = this.#d.engine();
    engine.submitToolOutput(callId, result.output);
    if (result.image && t && !t.aborted && !t.finished) {
      // A function_call_output carries text only (RealtimeConversationItemFunctionCallOutput in
      // openai/resources/realtime/realtime.d.ts): the picture goes in as a user image message right
      // after it, and the one follow-up response below reads both.
      const { dataUrl, detail, about } = result.image;
      const image = { dataUrl, detail };
      this.#d.ledger.noteImage({ image, label: about?.label ?? name, width: about?.width ?? 0, height: about?.height ?? 0, estimatedTokens: about?.estimatedTokens ?? 0 }, t.id);
      engine.sendUserImage(textItemId(), image, null, { respond: false });
    }
    if (t) {
      t.toolCalls.push({ callId, name, arguments: argumentsJson, output: result.output, status: result.status, durationMs: result.durationMs });
      this.#settle(t);
    }
    this.#d.changed();
  }

  /** The turn the call belongs to now has one more tool pending (the state shows "thinking"). */
  #begin(responseId: string): ActiveTurn | undefined {
    const t = this.#d.ledger.forTool(responseId);
    if (t) t.pendingTools++;
    this.#d.changed();
    return t;
  }

  /** One tool of the turn is answered; with none left, the model is asked to go on. */
  #settle(t: ActiveTurn): void {
    t.pendingTools--;
    if (t.pendingTools === 0 && !t.aborted && !t.finished) this.#d.engine().requestResponse({ textOnly: t.input.replyAs === 'text' });
    this.#d.ledger.maybeFinish(t);
  }
}
