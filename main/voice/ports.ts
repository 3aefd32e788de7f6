/**
 * The ports the voice core takes. main/app implements them with Electron; the CLI, the e2e host and
 * the unit tests implement them in memory. Nothing here imports Electron.
 */
import type {
  ApprovalRequest,
  Notice,
  PlaybackReport,
  Status,
  ToolCallView,
  Transcript,
  TurnMetrics,
} from '../../preload/contract.ts';
import type { TurnRecord } from './turn.ts';
import type { ImageCost } from './image-costs.ts';

/** The renderer's microphone, as the core sees it. Frames come back through VoiceSession.pushCapture. */
export interface CapturePort {
  start(turnId: string): void;
  /** Ask the capture side to flush the last partial frame and stop; it answers with captureFlushed. */
  stop(turnId: string): void;
  /** Let the microphone go (after the warm period). */
  release(): void;
}

/** The renderer's player, as the core sees it. */
export interface PlaybackPort {
  /** Queue PCM16 24 kHz mono samples of one output item. */
  write(itemId: string, pcm: Int16Array): void;
  /** No more audio will come for this item. */
  endOfItem(itemId: string): void;
  /**
   * Stop at once and say how many samples of the current item were rendered. Resolves null when
   * nothing was playing. The rendered count is the truth for truncation (DESIGN §2, barge-in).
   */
  stop(): Promise<PlaybackReport | null>;
}

/** Everything the core tells the outside world; the app forwards these to the contract's events. */
export interface SessionEvents {
  status(status: Status): void;
  transcript(transcript: Transcript): void;
  toolCall(view: ToolCallView): void;
  approval(request: ApprovalRequest): void;
  turnMetrics(metrics: TurnMetrics): void;
  notice(notice: Notice): void;
  /** Optional (added by the voice core): a turn ended, with everything measured about it (CLI, history). */
  turnEnded?(record: TurnRecord): void;
  /** Optional: a picture shown to the model was priced from the usage of the response that read it (history). */
  imageCost?(cost: ImageCost): void;
}
