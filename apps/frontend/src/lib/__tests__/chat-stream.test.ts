import type { ChatStreamEvent } from '@todo/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ApiError } from '../api';
import { readEvents, streamChat } from '../chat-stream';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

function answer(chunks: string[], init: ResponseInit = {}) {
  vi.stubGlobal(
    'fetch',
    vi.fn(
      async () =>
        new Response(streamOf(chunks), { headers: { 'content-type': 'text/event-stream' }, ...init }),
    ),
  );
}

async function chat(): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = [];
  for await (const event of streamChat({ message: 'hi' })) events.push(event);
  return events;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('readEvents', () => {
  it('parses events split across chunks at any position, also inside a multi-byte character', async () => {
    const text = 'event: text-delta\ndata: {"delta":"über €"}\n\nevent: done\r\ndata: {}\r\n\r\n';
    const bytes = new TextEncoder().encode(text);
    for (let cut = 1; cut < bytes.length; cut += 3) {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes.slice(0, cut));
          controller.enqueue(bytes.slice(cut));
          controller.close();
        },
      });
      const events = [];
      for await (const e of readEvents(body)) events.push({ event: e.event, data: e.data });
      expect(events).toEqual([
        { event: 'text-delta', data: '{"delta":"über €"}' },
        { event: 'done', data: '{}' },
      ]);
    }
  });

  it('ignores comments, joins multi-line data and delivers an event cut off by the end of the stream', async () => {
    const events = [];
    for await (const e of readEvents(
      streamOf([': keep-alive\n\ndata: a\ndata: b\n\nevent: done\ndata: {"x":1}']),
    ))
      events.push({ event: e.event, data: e.data });
    expect(events).toEqual([
      { event: undefined, data: 'a\nb' },
      { event: 'done', data: '{"x":1}' },
    ]);
  });
});

describe('streamChat', () => {
  it('has zod validate without compiling code (the pages’ CSP has no unsafe-eval)', () => {
    expect(z.config().jitless).toBe(true);
  });

  it('yields events validated against the shared contract and stops at done', async () => {
    answer([
      'event: conversation\ndata: {"conversationId":"c1"}\n\n',
      'event: tool-call\ndata: {"id":"t1","name":"add_task","arguments":{"title":"milk"}}\n\n',
      'event: text-delta\ndata: {"delta":"Added"}\n\n',
      'event: done\ndata: {"messageId":"m1","tasksChanged":true}\n\n',
      'event: text-delta\ndata: {"delta":"after the end"}\n\n',
    ]);
    expect(await chat()).toEqual([
      { type: 'conversation', conversationId: 'c1' },
      { type: 'tool-call', id: 't1', name: 'add_task', arguments: { title: 'milk' } },
      { type: 'text-delta', delta: 'Added' },
      { type: 'done', messageId: 'm1', tasksChanged: true },
    ]);
  });

  it('skips unknown, malformed and mistyped events instead of trusting them', async () => {
    answer([
      'event: surprise\ndata: {"x":1}\n\n',
      'event: text-delta\ndata: not json\n\n',
      'event: text-delta\ndata: {"delta":42}\n\n',
      'event: tool-result\ndata: {"id":"t1","name":"add_task","ok":"yes","summary":"?"}\n\n',
      'data: {"delta":"no event name"}\n\n',
      'event: text-delta\ndata: ["delta"]\n\n',
      'event: text-delta\ndata: {"delta":"kept"}\n\n',
      'event: error\ndata: {"code":"internal_error","message":"boom"}\n\n',
    ]);
    expect(await chat()).toEqual([
      { type: 'text-delta', delta: 'kept' },
      { type: 'error', code: 'internal_error', message: 'boom' },
    ]);
  });

  it('throws the problem of a refused request as an ApiError', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(
            JSON.stringify({ status: 429, code: 'rate_limited', detail: 'too many requests, slow down' }),
            {
              status: 429,
              headers: { 'content-type': 'application/problem+json' },
            },
          ),
      ),
    );
    const error = await chat().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 429,
      code: 'rate_limited',
      message: 'too many requests, slow down',
    });
  });
});
