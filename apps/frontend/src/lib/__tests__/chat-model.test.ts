import { describe, expect, it } from 'vitest';
import { applyEvent, convertMessage, fromStored, messageText, pendingAssistant } from '../chat-model';

describe('chat model', () => {
  it('folds a streamed reply with tool calls into ordered parts', () => {
    let m = pendingAssistant();
    m = applyEvent(m, { type: 'tool-call', id: 't1', name: 'add_task', arguments: { title: 'buy milk' } });
    m = applyEvent(m, {
      type: 'tool-result',
      id: 't1',
      name: 'add_task',
      ok: true,
      summary: "Added 'buy milk'",
    });
    m = applyEvent(m, { type: 'text-delta', delta: 'Added ' });
    m = applyEvent(m, { type: 'text-delta', delta: '“buy milk”.' });
    m = applyEvent(m, { type: 'done', messageId: 'm1', tasksChanged: true });
    expect(m.id).toBe('m1');
    expect(m.status).toBe('complete');
    expect(messageText(m)).toBe('Added “buy milk”.');
    expect(m.parts[0]).toMatchObject({
      type: 'tool',
      name: 'add_task',
      result: { ok: true, summary: "Added 'buy milk'" },
    });

    const like = convertMessage(m);
    expect(like.status).toEqual({ type: 'complete', reason: 'stop' });
    expect(like.content).toEqual([
      expect.objectContaining({ type: 'tool-call', toolCallId: 't1', toolName: 'add_task', isError: false }),
      { type: 'text', text: 'Added “buy milk”.' },
    ]);
  });

  it('marks errors as incomplete with the message', () => {
    const m = applyEvent(pendingAssistant(), { type: 'error', code: 'internal_error', message: 'boom' });
    expect(convertMessage(m).status).toEqual({ type: 'incomplete', reason: 'error', error: 'boom' });
  });

  it('turns stored history into tool parts followed by text', () => {
    const m = fromStored({
      id: 'a1',
      role: 'assistant',
      content: 'Done.',
      toolCalls: [
        { name: 'complete_task', arguments: { id: 'x' }, summary: "Completed 'buy milk'", ok: true },
      ],
      createdAt: '2026-01-01T00:00:00Z',
    });
    expect(m.parts.map((p) => p.type)).toEqual(['tool', 'text']);
  });
});
