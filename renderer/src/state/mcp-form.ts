/**
 * What the "Tools from other apps (MCP)" section of Settings needs besides React: turning the add
 * form into an `mcpServers` entry, placing main's validation messages beside the fields they name,
 * and the words for a server's state and a policy. Main owns the rules (the schema in
 * main/settings/mcp-servers-schema.ts checks every entry); nothing here re-declares them.
 */
import type { McpPairEdit, McpServerEdit, McpServerLive, SettingsView } from '../../../preload/contract.ts';

export type McpServerEntry = SettingsView['mcpServers'][number];
export type McpPolicy = McpServerEntry['policy'];

/** One name = value row of the environment or the headers; the value is write-only in the window. */
export interface PairRow {
  name: string;
  value: string;
  /**
   * Edit form only: the row's name when the form opened, for a stored value the window never sees.
   * Left empty, the row keeps that value (even renamed); a typed value replaces it.
   */
  keepFrom?: string;
}

export interface McpDraft {
  kind: 'stdio' | 'http';
  name: string;
  command: string;
  /** One argument per line: an argument may hold spaces, and nothing is run through a shell. */
  argsText: string;
  env: PairRow[];
  url: string;
  headers: PairRow[];
  native: boolean;
}

export const EMPTY_DRAFT: McpDraft = { kind: 'stdio', name: '', command: '', argsText: '', env: [], url: '', headers: [], native: false };

/** The fields of the add form that a message from main can be about. */
export type DraftField = 'name' | 'command' | 'args' | 'env' | 'url' | 'headers' | 'native' | 'general';

/**
 * A short, stable id from the name ("My Notes" → "my-notes"): it prefixes the tool names the model
 * sees, so it stays what the schema accepts (1–24 of A–Z a–z 0–9 _ -, first a letter or digit) and
 * unlike every id in `taken` ("notes-2").
 */
export function idFromName(name: string, taken: readonly string[]): string {
  const base =
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/^[-_]+|[-_]+$/g, '')
      .slice(0, 20)
      .replace(/[-_]+$/, '') || 'server';
  const used = new Set(taken.map((id) => id.toLowerCase()));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!used.has(candidate)) return candidate;
  }
}

/** Rows with neither a name nor a value are blank lines the person left; the others go to main as typed. */
function pairs(rows: readonly PairRow[]): Record<string, string> {
  return Object.fromEntries(rows.filter((r) => r.name.trim() !== '' || r.value !== '').map((r) => [r.name.trim(), r.value]));
}

/** The new `mcpServers` entry for the add form's content (main validates it). */
export function serverFromDraft(draft: McpDraft, taken: readonly string[]): Record<string, unknown> {
  const name = draft.name.trim();
  const common = { id: idFromName(name, taken), name, enabled: true, policy: 'ask', toolPolicies: {} };
  if (draft.kind === 'stdio') {
    const args = draft.argsText.split(/\r?\n/).filter((line) => line.trim() !== '');
    return { ...common, native: false, transport: { type: 'stdio', command: draft.command.trim(), args, env: pairs(draft.env), cwd: null } };
  }
  return { ...common, native: draft.native, transport: { type: 'http', url: draft.url.trim(), headers: pairs(draft.headers) } };
}

/**
 * The edit form filled with a server as the window sees it. Every variable and header value is
 * write-only, as on the server's card ("NAME (set)"): each row starts empty and keeps its stored
 * value unless something is typed. (A header value arrives as "[redacted]" anyway, and a variable's
 * may carry a redacted part, so showing it back and saving it would overwrite the real one.)
 */
export function draftFromServer(entry: McpServerEntry): McpDraft {
  const rows = (record: Readonly<Record<string, string>>): PairRow[] => Object.keys(record).map((name) => ({ name, value: '', keepFrom: name }));
  const t = entry.transport;
  const common = { ...EMPTY_DRAFT, name: entry.name, native: entry.native };
  if (t.type === 'stdio') return { ...common, kind: 'stdio', command: t.command, argsText: t.args.join('\n'), env: rows(t.env) };
  return { ...common, kind: 'http', url: t.url, headers: rows(t.headers) };
}

/** Rows as the edit request carries them: blank lines left out, an untouched stored value as `keepFrom`. */
function pairEdits(rows: readonly PairRow[]): McpPairEdit[] {
  return rows
    .filter((r) => r.keepFrom !== undefined || r.name.trim() !== '' || r.value !== '')
    .map((r) => (r.keepFrom !== undefined && r.value === '' ? { name: r.name.trim(), keepFrom: r.keepFrom } : { name: r.name.trim(), value: r.value }));
}

/**
 * The `editMcpServer` request for the edit form's content (main keeps what the form does not show,
 * and validates). `before` is the server as the form opened on it: arguments left as they were are
 * sent as they are stored, so one the one-per-line field cannot show (blank, or holding a line
 * break: a hand-edited settings file) is not lost to an edit of something else.
 */
export function editFromDraft(draft: McpDraft, id: string, before?: McpServerEntry): McpServerEdit {
  const name = draft.name.trim();
  if (draft.kind === 'stdio') {
    const unchanged = before?.transport.type === 'stdio' && draft.argsText === before.transport.args.join('\n') ? before.transport.args : null;
    const args = unchanged ? [...unchanged] : draft.argsText.split(/\r?\n/).filter((line) => line.trim() !== '');
    return { id, name, native: false, transport: { type: 'stdio', command: draft.command.trim(), args, env: pairEdits(draft.env) } };
  }
  return { id, name, native: draft.native, transport: { type: 'http', url: draft.url.trim(), headers: pairEdits(draft.headers) } };
}

/** Which field of the add form a path inside one entry is about ("transport.url" → url). */
function fieldOf(path: readonly string[]): DraftField {
  const [head, second] = path;
  if (head === 'name' || head === 'id') return 'name';
  if (head === 'native') return 'native';
  if (head !== 'transport') return 'general';
  switch (second) {
    case 'command':
      return 'command';
    case 'args':
      return 'args';
    case 'env':
      return 'env';
    case 'url':
      return 'url';
    case 'headers':
      return 'headers';
    default:
      return 'general';
  }
}

/** How a field is called in a message shown beside it ("transport.env.1BAD" → "1BAD"). */
function subject(path: readonly string[]): string {
  if (path[0] === 'transport' && (path[1] === 'env' || path[1] === 'headers') && path[2] !== undefined) return `${path.slice(2).join('.')}: `;
  if (path[0] === 'transport' && path[1] === 'args' && path[2] !== undefined) return `argument ${Number(path[2]) + 1}: `;
  if (path[0] === 'id') return 'the short name made from it ';
  return '';
}

/**
 * Main's refusal of a settings change ("Settings not saved: mcpServers.2.transport.url: must start
 * with https://…; mcpServers.2.name: must not be empty", settings-messages.ts formatProblems) as
 * messages per field of the entry at `index`. What is about something else goes to `general`.
 */
export function problemsForEntry(message: string, index: number): Partial<Record<DraftField, string>> {
  const body = message.replace(/^.*?Settings not saved: /s, '');
  const out: Partial<Record<DraftField, string>> = {};
  const add = (field: DraftField, text: string): void => {
    out[field] = out[field] ? `${out[field]}; ${text}` : text;
  };
  // Problems are "field: problem" joined by "; "; a problem's own text may hold "; " (a quoted
  // value), so a new one starts only where a dotted field name and ": " follow.
  const parts = body.split(/; (?=mcpServers[.:]|[A-Za-z0-9_.-]+: )/);
  for (const part of parts) {
    const colon = part.indexOf(': ');
    const path = colon > 0 ? part.slice(0, colon).split('.') : [];
    const problem = colon > 0 ? part.slice(colon + 2) : part;
    if (path[0] === 'mcpServers' && path[1] === String(index) && path.length > 2) {
      const inner = path.slice(2);
      const who = subject(inner);
      add(fieldOf(inner), problem.startsWith(who.replace(/: $/, ' ')) ? problem : `${who}${problem}`);
    } else if (path[0] === 'mcpServers' && path.length === 1) add('general', problem);
    // About something else (another server, the file): said in full, so the refusal is not a mystery.
    else add('general', part);
  }
  return out;
}

export const POLICY_WORDS: Record<McpPolicy, string> = { ask: 'Ask me each time', allow: 'Always allow', deny: 'Never allow' };

/** What happens now when the model calls a tool, for the line under its choice. */
export function effectWords(policy: McpPolicy): string {
  return policy === 'allow' ? 'runs without asking' : policy === 'ask' ? 'asks you first' : 'never runs';
}

export interface StateWords {
  /** ready / working / problem / off: the colour of the line. */
  tone: 'ready' | 'working' | 'problem' | 'off';
  text: string;
}

/**
 * One line on a server's state. `live` is null until main has said anything about it;
 * `retryLeftMs` is the time left before the next attempt, counted down in the window.
 */
export function stateWords(entry: McpServerEntry, live: McpServerLive | null, engine: SettingsView['engine'], retryLeftMs: number | null): StateWords {
  if (!entry.enabled) return { tone: 'off', text: 'Off: its tools are not offered.' };
  if (entry.native) {
    return engine === 'realtime'
      ? { tone: 'ready', text: "Called by OpenAI's Realtime service directly; its tools are listed there when a conversation starts." }
      : { tone: 'off', text: 'Native: only the Realtime engine can use it, so its tools are not offered with this engine.' };
  }
  if (!live) return { tone: 'working', text: 'Starting…' };
  const count = live.tools.length;
  switch (live.state) {
    case 'ready':
      return { tone: 'ready', text: `Connected · ${count} ${count === 1 ? 'tool' : 'tools'}` };
    case 'connecting':
      return { tone: 'working', text: live.restarts > 0 || live.lastError ? 'Starting again…' : 'Starting…' };
    case 'retrying': {
      const seconds = retryLeftMs === null ? null : Math.max(0, Math.ceil(retryLeftMs / 1000));
      const when = seconds === null || seconds === 0 ? 'Trying again now.' : `Trying again in ${seconds} s.`;
      return { tone: 'problem', text: `Not running. ${when}` };
    }
    case 'stopped':
      return { tone: 'off', text: 'Stopped.' };
  }
}
