/**
 * The small interfaces the tool layer takes from its host. main/app implements them with Electron
 * (clipboard module, transcript window, notifications); the CLI and the tests implement them in memory.
 */
import type { ApprovalDecision } from '../../preload/contract.ts';

/** The system clipboard, text only. */
export interface ClipboardPort {
  readText(): Promise<string>;
  writeText(text: string): Promise<void>;
}

/** What a tool wants to do, in words a person can check before saying yes. */
export interface ApprovalDraft {
  tool: string;
  /** One line: "Write 1.2 KB to ~/Documents/notes.txt". */
  summary: string;
  /** The exact path the action touches, when there is one. */
  path?: string;
  /** The start of the content that would be written. */
  preview?: string;
}

export type ApprovalOutcome = ApprovalDecision | 'timeout';

export interface ApprovalAnswer {
  decision: ApprovalOutcome;
  /** Why, when the port decided without asking a person (the CLI's "--allow-writes" hint). */
  reason?: string;
}

/** Asks the user. Resolves with their answer; never rejects. An aborted signal resolves as 'deny'. */
export interface ApprovalPort {
  request(draft: ApprovalDraft, signal?: AbortSignal): Promise<ApprovalAnswer>;
}

export type ToolPolicy = 'allow' | 'ask' | 'deny';
/** 'private': reads something personal beyond shared folders (the screen); asks first by default, like a write. */
export type ToolRisk = 'read' | 'write' | 'private';
