/** Shared helpers for the tool tests: real temp folders, a host with in-memory ports, one-line calls. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createToolHost } from '../../../main/tools/index.ts';
import type { ApprovalAnswer, ApprovalDraft, ApprovalPort, ClipboardPort, ConfigurableToolHost, ToolHostOptions } from '../../../main/tools/index.ts';
import type { ToolCallResult } from '../../../main/tools/tool-host.ts';

export async function makeTempDir(prefix = 'earshot-tools-'): Promise<string> {
  // realpath: on some systems the temp folder itself is behind a link (macOS /var → /private/var).
  return fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), prefix)));
}

export async function writeTree(base: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(base, rel);
    await fs.mkdir(path.dirname(full), { recursive: true });
    await fs.writeFile(full, content);
  }
}

/** An approval port that answers from a script and remembers what it was asked. */
export class ScriptedApprovals implements ApprovalPort {
  readonly asked: ApprovalDraft[] = [];
  private readonly answers: ApprovalAnswer[];

  constructor(...answers: ApprovalAnswer[]) {
    this.answers = answers;
  }

  async request(draft: ApprovalDraft): Promise<ApprovalAnswer> {
    this.asked.push(draft);
    return this.answers.shift() ?? { decision: 'deny', reason: 'no scripted answer left' };
  }
}

export class MemoryClipboard implements ClipboardPort {
  text = '';
  reads = 0;
  async readText(): Promise<string> {
    this.reads += 1;
    return this.text;
  }
  async writeText(text: string): Promise<void> {
    this.text = text;
  }
}

let nextCall = 0;

export async function call(host: ConfigurableToolHost, name: string, args: unknown, signal?: AbortSignal): Promise<ToolCallResult> {
  nextCall += 1;
  return host.execute(
    { callId: `call_${nextCall}`, name, argumentsJson: typeof args === 'string' ? args : JSON.stringify(args), conversationId: 'conv_test' },
    signal,
  );
}

export function hostFor(roots: string[], extra: Partial<ToolHostOptions> = {}): ConfigurableToolHost {
  return createToolHost({ roots, approvals: new ScriptedApprovals(), ...extra });
}
