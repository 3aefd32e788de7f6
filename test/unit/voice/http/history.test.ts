/** The chat history the HTTP engines re-send: tool pairing, barge-in cuts, bounds. */
import { describe, expect, it } from 'vitest';
import { ChatHistory } from '../../../../main/voice/engine/http/history.ts';
import { INTERRUPTED_MARK, MISSING_TOOL_OUTPUT } from '../../../../main/voice/engine/http/chat-messages.ts';

describe('ChatHistory', () => {
  it('pairs every tool call with its result, right after the call, even when the result comes late', () => {
    const h = new ChatHistory();
    h.addUser('u1', 'List my files.');
    h.addAssistant('a1', 'Let me look.', [{ id: 'call_1', name: 'list_files', arguments: '{"path":"~"}' }]);
    h.addUser('u2', 'Never mind. What time is it?');
    let m = h.toMessages('Be brief.', 20);
    expect(m.map((x) => x.role)).toEqual(['system', 'user', 'assistant', 'tool', 'user']);
    expect(m[3]).toEqual({ role: 'tool', tool_call_id: 'call_1', content: MISSING_TOOL_OUTPUT });
    h.addToolOutput('call_1', '["a.txt"]');
    m = h.toMessages('Be brief.', 20);
    expect(m[3]).toEqual({ role: 'tool', tool_call_id: 'call_1', content: '["a.txt"]' });
  });

  it('cuts an answer to what was heard and marks it; removes one nobody heard but keeps its tool calls', () => {
    const h = new ChatHistory();
    h.addUser('u1', 'Tell me a story.');
    h.addAssistant('a1', 'Once upon a time there was a fox. It was clever.');
    h.truncateAssistant('a1', 'Once upon a time');
    expect(h.toMessages('', 20)[1]).toEqual({ role: 'assistant', content: `Once upon a time${INTERRUPTED_MARK}` });
    h.addUser('u2', 'Again.');
    h.addAssistant('a2', 'Fine.');
    h.deleteAssistant('a2');
    h.addAssistant('a3', 'Checking.', [{ id: 'c', name: 'list_files', arguments: '{}' }]);
    h.deleteAssistant('a3');
    const m = h.toMessages('', 20);
    expect(m.map((x) => x.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'tool']);
    expect(m[3]).toMatchObject({ role: 'assistant', content: null, tool_calls: [{ id: 'c' }] });
  });

  it('sends only the last replayTurns user turns, never a tool result without its call', () => {
    const h = new ChatHistory();
    for (let i = 0; i < 5; i++) {
      h.addUser(`u${i}`, `question ${i}`);
      h.addAssistant(`a${i}`, '', [{ id: `c${i}`, name: 't', arguments: '{}' }]);
      h.addToolOutput(`c${i}`, 'ok');
      h.addAssistant(`b${i}`, `answer ${i}`);
    }
    const m = h.toMessages('sys', 2);
    expect(m[0]).toEqual({ role: 'system', content: 'sys' });
    expect(m[1]).toEqual({ role: 'user', content: 'question 3' });
    expect(m.filter((x) => x.role === 'user')).toHaveLength(2);
    expect(m.length).toBe(1 + 2 * 4);
  });

  it('rolls a failed turn back, and takes a text history from another engine', () => {
    const h = new ChatHistory();
    h.addUser('u1', 'one');
    h.addAssistant('a1', 'uno');
    const mark = h.mark();
    h.addUser('u2', 'two');
    h.rollback(mark);
    expect(h.userTurns()).toBe(1);
    h.setFromText([
      { role: 'user', text: 'hi' },
      { role: 'assistant', text: 'hello' },
      { role: 'user', text: 'bye' },
    ]);
    expect(h.toMessages('', 20)).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
      { role: 'user', content: 'bye' },
    ]);
  });
});
