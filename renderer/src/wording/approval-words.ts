/**
 * What an approval card's buttons say: the action and its object ("Write note.txt", "Don't write"),
 * and the scope of "always" (approval-service.ts remembers "always" per tool until Earshot quits).
 */
import type { ApprovalRequest } from '../../../preload/contract.ts';

interface Verb {
  /** "Write", with the object appended. */
  act: string;
  /** "Don't write". */
  refuse: string;
  /** "Always write files". */
  always: string;
}

const VERBS: Record<string, Verb> = {
  write_file: { act: 'Write', refuse: "Don't write", always: 'Always write files' },
  append_file: { act: 'Add to', refuse: "Don't add", always: 'Always add to files' },
  create_directory: { act: 'Create', refuse: "Don't create", always: 'Always create folders' },
  write_clipboard: { act: 'Copy to clipboard', refuse: "Don't copy", always: 'Always copy to the clipboard' },
  read_clipboard: { act: 'Read clipboard', refuse: "Don't read", always: 'Always read the clipboard' },
  // The title already says what will be looked at ("Look at your screen", "Look at your window …").
  look_at_screen: { act: 'Show it', refuse: "Don't show", always: 'Always let it look' },
};

/** Verbs that stand alone on the button: their object is in the title, not in a path. */
const NO_OBJECT = new Set(['Copy to clipboard', 'Read clipboard', 'Show it']);

/** The last path segment, which is what a person recognises ("note.txt"). */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts.at(-1) ?? path;
}

export interface ApprovalWords {
  title: string;
  allow: string;
  deny: string;
  always: string;
}

export function approvalWords(approval: ApprovalRequest): ApprovalWords {
  const verb = VERBS[approval.tool];
  const object = approval.path ? baseName(approval.path) : '';
  if (!verb) {
    const name = approval.tool.replace(/_/g, ' ');
    return { title: approval.summary, allow: `Allow ${name}`, deny: `Don't allow`, always: `Always allow ${name} until Earshot quits` };
  }
  const withObject = NO_OBJECT.has(verb.act) || !object ? verb.act : `${verb.act} ${object}`;
  return { title: approval.summary, allow: withObject, deny: verb.refuse, always: `${verb.always} until Earshot quits` };
}

export type ApprovalOutcome = 'allow-once' | 'always' | 'deny' | 'timeout';

export function outcomeWords(outcome: ApprovalOutcome): string {
  if (outcome === 'allow-once') return 'You allowed it once.';
  if (outcome === 'always') return 'You allowed it until Earshot quits.';
  if (outcome === 'deny') return 'You declined.';
  return 'No answer in time: declined.';
}
