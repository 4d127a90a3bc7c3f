import { describe, expect, it } from 'vitest';
import { parseSse } from '../sse';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(chunks: string[]) {
  const events = [];
  for await (const e of parseSse(streamOf(chunks))) events.push(e);
  return events;
}

describe('parseSse', () => {
  it('parses events split across chunks at any position', async () => {
    const text =
      'event: conversation\ndata: {"conversationId":"c1"}\n\nevent: text-delta\ndata: {"delta":"Hi"}\n\n';
    for (let cut = 1; cut < text.length; cut += 7) {
      expect(await collect([text.slice(0, cut), text.slice(cut)])).toEqual([
        { event: 'conversation', data: '{"conversationId":"c1"}' },
        { event: 'text-delta', data: '{"delta":"Hi"}' },
      ]);
    }
  });

  it('handles CRLF, comments, multi-line data and a missing event name', async () => {
    expect(await collect([': keep-alive\r\n\r\ndata: a\r\ndata: b\r\n\r\nevent:done\ndata:{}\n\n'])).toEqual([
      { event: 'message', data: 'a\nb' },
      { event: 'done', data: '{}' },
    ]);
  });

  it('delivers an event cut off by the end of the stream', async () => {
    expect(await collect(['event: done\ndata: {"x":1}'])).toEqual([{ event: 'done', data: '{"x":1}' }]);
  });
});
