/**
 * The voice session's public surface: what the app, the CLI and the tests call, and the ports it is
 * built from. session.ts implements it; main/voice/index.ts re-exports it. At the end, the one small
 * interface the session's rooms (session-*.ts) share among themselves.
 */
import type { PlaybackReport, Status, TurnMode } from '../../preload/contract.ts';
import type { ToolHost } from '../tools/tool-host.ts';
import type { CapturePort, PlaybackPort, SessionEvents } from './ports.ts';
import type { Clock } from '../base/clock.ts';
import type { Logger } from '../base/logger.ts';
import type { VoiceConfig } from './config.ts';
import type { Credentials, EngineFactory, HistoryEntry, RateLimit, UserImage } from './engine/engine.ts';
import type { TurnInput, TurnRecord } from './turn.ts';

export interface VoiceSessionPorts {
  events: SessionEvents;
  capture: CapturePort;
  playback: PlaybackPort;
  tools: ToolHost;
  clock: Clock;
  logger: Logger;
  credentials: () => Promise<Credentials>;
  /** Builds the engine the config names (default: the three real engines). Tests may pass their own. */
  createEngine?: EngineFactory;
}

/** What became of a typed message: sent as a turn, or refused with a reason a person can act on. */
export type SendTextResult = { sent: true; turnId: string } | { sent: false; reason: string };

/** A picture to show the model (a screen capture or a file), described for the transcript and the history. */
export interface ShownImage {
  image: UserImage;
  /** "Entire Screen", a window title, a file name. */
  label: string;
  width: number;
  height: number;
  /** Tokens expected from OpenAI's sizing rules (main/tools/screen/image-sizing.ts). */
  estimatedTokens: number;
}

export interface VoiceSession {
  hotkeyDown(): void;
  /**
   * A typed turn in the same conversation. While the assistant speaks it barges in exactly like the
   * hotkey (player stopped, response cancelled, answer truncated to what was heard), and the text goes
   * out once that is done. `replyAs: 'text'` asks for a text-only answer for this turn.
   */
  sendText(text: string, replyAs: TurnInput['replyAs']): SendTextResult;
  /**
   * A turn that shows the model a picture, with optional typed words, as one user message; barges in
   * like sendText. Its transcript carries the words as its text and the label as `picture`.
   */
  sendImage(shown: ShownImage, text: string | null, replyAs: TurnInput['replyAs']): SendTextResult;
  hotkeyUp(): void;
  stopSpeaking(): void;
  newConversation(): void;
  /**
   * Continue an earlier conversation: a new session under the same id, with its text (`history`)
   * replayed as context; new turns append to the same record.
   */
  resumeConversation(conversationId: string, history: HistoryEntry[]): void;
  setTurnMode(mode: TurnMode): void;
  setMicMuted(muted: boolean): void;
  pushCapture(turnId: string, pcm: Int16Array): void;
  captureFlushed(turnId: string, totalSamples: number): void;
  reportPlayback(report: PlaybackReport): void;
  updateConfig(patch: Partial<VoiceConfig>): { appliedLive: string[]; nextSession: string[] };
  /** The tools changed (an MCP server came, went or changed its list): a live session gets them now. */
  refreshTools(): void;
  status(): Status;
  conversationId(): string;
  dispose(): Promise<void>;
  /** Additions beyond the lead's list. */
  turnLog(): TurnRecord[];
  sessionCostUsd(): number;
  rateLimits(): RateLimit[];
  setStatusExtras(extras: Partial<Pick<Status, 'apiKey' | 'holdAvailable'>>): void;
}

/** The one line of status text the window shows; several rooms of the session set it. */
export interface StatusLine {
  get(): string | null;
  set(message: string | null): void;
}
