/**
 * The history view marks a conversation whose cost is partly estimated (a turn of it was cut off
 * before the service reported its usage) the same way the metrics line does: rendered with React's
 * server renderer from the view's own components.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ConversationCost, OpenedConversation } from '../../../renderer/src/components/HistoryView.tsx';

const text = (html: string): string => html.replace(/<[^>]+>/g, '').replace(/&#x27;/g, "'");

describe('history view: the cost of a conversation', () => {
  it('marks a listed conversation with an estimated turn "≈ … (estimated)", and an exact one not', () => {
    expect(text(renderToStaticMarkup(createElement(ConversationCost, { conversation: { costUsd: 0.0366, costEstimated: true } })))).toBe('≈ $0.04 (estimated)');
    expect(text(renderToStaticMarkup(createElement(ConversationCost, { conversation: { costUsd: 0.0366, costEstimated: false } })))).toBe('$0.04');
  });

  it('marks an opened conversation the same way', () => {
    const conversation = {
      id: 'c1',
      title: 'What files are in my documents folder?',
      startedAt: Date.UTC(2025, 2, 10, 9),
      costUsd: 0.0366,
      costEstimated: true,
      entries: [{ kind: 'transcript' as const, role: 'user' as const, text: 'What files are in my documents folder?', truncated: false, at: Date.UTC(2025, 2, 10, 9) }],
    };
    const noop = (): void => {};
    const html = renderToStaticMarkup(createElement(OpenedConversation, { conversation, onSave: noop, onClose: noop, onContinue: noop }));
    expect(text(html)).toContain('· ≈ $0.04 (estimated)');
    expect(text(renderToStaticMarkup(createElement(OpenedConversation, { conversation: { ...conversation, costEstimated: false }, onSave: noop, onClose: noop, onContinue: noop })))).not.toContain('estimated');
  });
});
