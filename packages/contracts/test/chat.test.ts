import { describe, expect, it } from 'vitest';
import { type ChatStreamEvent, decodeChatEvent, encodeChatEvent, readToolOutput } from '../src/index.ts';

const frame = (text: string) => {
  const event = /^event: (.*)$/m.exec(text)?.[1] ?? '';
  const data = /^data: (.*)$/m.exec(text)?.[1] ?? '';
  return { event, data };
};

describe('chat stream events', () => {
  const events: ChatStreamEvent[] = [
    { type: 'conversation', conversationId: 'c1' },
    { type: 'text-delta', delta: 'Hi\nthere' },
    { type: 'tool-call', id: 't1', name: 'add_task', arguments: { title: 'milk' } },
    { type: 'tool-result', id: 't1', name: 'add_task', ok: true, summary: 'Added' },
    { type: 'done', messageId: 'm1', tasksChanged: true },
    { type: 'error', code: 'model_error', message: 'down' },
  ];

  it('round-trips every event through its server-sent-event text', () => {
    for (const e of events) {
      const text = encodeChatEvent(e);
      expect(text.endsWith('\n\n')).toBe(true);
      const { event, data } = frame(text);
      expect(event).toBe(e.type);
      expect(JSON.parse(data)).not.toHaveProperty('type');
      expect(decodeChatEvent(event, data)).toEqual(e);
    }
  });

  it('drops unknown, malformed and mistyped events instead of trusting them', () => {
    expect(decodeChatEvent('ping', '{}')).toBeUndefined();
    expect(decodeChatEvent('text-delta', 'not json')).toBeUndefined();
    expect(decodeChatEvent('text-delta', '[1]')).toBeUndefined();
    expect(decodeChatEvent('text-delta', '{"delta":42}')).toBeUndefined();
    expect(decodeChatEvent('done', '{"messageId":"m"}')).toBeUndefined();
    // the event name decides the type, whatever the data claims
    expect(decodeChatEvent('text-delta', '{"type":"done","delta":"x"}')).toEqual({
      type: 'text-delta',
      delta: 'x',
    });
  });
});

describe('tool outputs', () => {
  it('reads a tool result, and turns anything else into a failure with a bounded summary', () => {
    expect(readToolOutput('{"ok":true,"summary":"Added","task":{"id":"x"}}')).toMatchObject({
      ok: true,
      summary: 'Added',
      task: { id: 'x' },
    });
    expect(readToolOutput('MCP error -32602: invalid arguments')).toEqual({
      ok: false,
      summary: 'MCP error -32602: invalid arguments',
    });
    expect(readToolOutput('{"summary":1}')).toMatchObject({ ok: false });
    expect(readToolOutput('x'.repeat(500)).summary).toHaveLength(200);
    expect(readToolOutput('')).toEqual({ ok: false, summary: 'tool failed' });
  });
});
