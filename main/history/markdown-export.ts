/**
 * A conversation as a Markdown document a person can read: a heading with the facts, who said what
 * in order, tool calls with the decision taken, notices, and a cost summary per turn.
 */
import type { Conversation } from './conversation.ts';
import { localDateTime, localTime } from './local-time.ts';
import { usd } from './money.ts';

const DECISION_TEXT: Record<string, string> = {
  allowed: 'allowed by policy',
  'allowed-once': 'allowed once by you',
  'allowed-always': 'allowed always by you',
  denied: 'denied',
  timeout: 'not answered in time (denied)',
  'not-needed': 'no approval needed',
};

export interface MarkdownOptions {
  timeZone?: string;
  /** Name shown for the assistant. */
  assistantName?: string;
}

function bytes(count: number): string {
  return count < 1024 ? `${count} B` : `${(count / 1024).toFixed(1)} KB`;
}

/** Stops a line of speech from turning into a heading, list or quote, and keeps line breaks. */
function prose(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) => line.replace(/^(\s*)([#>|*+-]|\d+[.)])/, '$1\\$2'))
    .join('  \n');
}

function fenced(text: string, language: string): string {
  let fence = '```';
  while (text.includes(fence)) fence += '`';
  return `${fence}${language}\n${text}\n${fence}`;
}

function prettyArguments(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

export function conversationToMarkdown(conversation: Conversation, options: MarkdownOptions = {}): string {
  const tz = options.timeZone;
  const assistant = options.assistantName ?? 'Earshot';
  const out: string[] = [];
  out.push(`# ${prose(conversation.title).replace(/\n/g, ' ')}`, '');
  out.push(`- Started: ${localDateTime(conversation.startedAt, tz)}`);
  if (conversation.model) out.push(`- Model: ${conversation.model}${conversation.voice ? `, voice ${conversation.voice}` : ''}`);
  out.push(`- Turns: ${conversation.turns}`);
  out.push(`- Cost: ${usd(conversation.costUsd)}`);
  if (conversation.skippedLines > 0) {
    out.push(`- Note: ${conversation.skippedLines} damaged line${conversation.skippedLines > 1 ? 's' : ''} of the log could not be read and ${conversation.skippedLines > 1 ? 'are' : 'is'} left out.`);
  }
  out.push('', '## Conversation', '');

  for (const entry of conversation.entries) {
    const time = localTime(entry.at, tz);
    if (entry.type === 'transcript') {
      const who = entry.role === 'user' ? 'You' : assistant;
      const cut = entry.truncated ? ' *(interrupted: this is the part you heard)*' : '';
      const shown = entry.picture !== undefined ? `*Showed: ${prose(entry.picture).replace(/\n/g, ' ')}*` : null;
      const said = prose(entry.text) || (shown ? '' : '*(nothing heard)*');
      out.push(`**${who}** (${time}):${cut}  `, ...[shown, said].filter((l): l is string => l !== null && l !== ''), '');
    } else if (entry.type === 'tool') {
      const { audit } = entry;
      const decision = DECISION_TEXT[audit.decision] ?? audit.decision;
      out.push(
        `### Tool call: \`${audit.name}\` (${time})`,
        '',
        `- Decision: ${decision}`,
        `- Result: ${audit.status}, ${bytes(audit.resultBytes)} in ${Math.round(audit.durationMs)} ms`,
        '',
        fenced(prettyArguments(audit.argumentsJson), 'json'),
        '',
      );
    } else if (entry.type === 'image') {
      const tokens = entry.imageTokens == null ? 'image tokens not reported' : `${entry.imageTokens} image tokens`;
      const cost = entry.costUsd == null ? 'cost unknown' : usd(entry.costUsd);
      out.push(`*Picture shown (${time}): ${prose(entry.label).replace(/\n/g, ' ')}, ${entry.width}×${entry.height}, detail ${entry.detail}; ${tokens}, ${cost}.*`, '');
    } else {
      const { notice } = entry;
      const label = notice.level === 'error' ? 'Error' : notice.level === 'warning' ? 'Warning' : 'Note';
      const line = `> **${label}** (${time}): ${prose(notice.message).replace(/\n/g, ' ')}`;
      out.push(notice.action ? `${line}  ` : line);
      if (notice.action) out.push(`> ${prose(notice.action).replace(/\n/g, ' ')}`);
      out.push('');
    }
  }

  out.push('## Cost', '');
  if (conversation.turnMetrics.length === 0) {
    out.push('No usage was recorded.', '');
  } else {
    out.push('| Turn | Model | Input tokens | Output tokens | Cost |', '| ---: | --- | ---: | ---: | ---: |');
    conversation.turnMetrics.forEach((metrics, index) => {
      const u = metrics.usage;
      const input = u.inputTextTokens + u.inputAudioTokens;
      const output = u.outputTextTokens + u.outputAudioTokens;
      const cost = metrics.costUnknown ? 'unknown' : metrics.costEstimated ? `≈ ${usd(metrics.costUsd)} (estimated)` : usd(metrics.costUsd);
      out.push(`| ${index + 1} | ${metrics.model} | ${input} | ${output} | ${cost} |`);
    });
    const total = conversation.costEstimated ? `≈ ${usd(conversation.costUsd)}` : usd(conversation.costUsd);
    out.push(`| **Total** | | | | **${total}** |`, '');
    if (conversation.costEstimated) out.push('≈: part of the cost is estimated from what was sent and received (a turn cut off before its usage was reported).', '');
  }
  return out.join('\n');
}
