export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Parses a text/event-stream body into events as they arrive (WHATWG rules: blank line ends an event,
 * `data:` lines join with newlines, `:` lines are comments, a missing `event:` means "message").
 * An event cut off by the end of the stream is still delivered, which is kinder to proxies that drop the
 * final blank line.
 */
export async function* parseSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  let finished = false;
  try {
    while (!finished) {
      const { value, done } = await reader.read();
      if (done) {
        finished = true;
        buffer += `${decoder.decode()}\n`;
      } else {
        buffer += decoder.decode(value, { stream: true });
      }
      let newline = buffer.search(/\r\n|\r|\n/);
      // a lone \r at the end may be the first half of \r\n: wait for more input
      while (newline !== -1 && !(newline === buffer.length - 1 && buffer.endsWith('\r') && !finished)) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (data.length > 0) yield { event: event || 'message', data: data.join('\n') };
          event = '';
          data = [];
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const field = colon === -1 ? line : line.slice(0, colon);
          let value = colon === -1 ? '' : line.slice(colon + 1);
          if (value.startsWith(' ')) value = value.slice(1);
          if (field === 'event') event = value;
          else if (field === 'data') data.push(value);
        }
        newline = buffer.search(/\r\n|\r|\n/);
      }
    }
    if (data.length > 0) yield { event: event || 'message', data: data.join('\n') };
  } finally {
    reader.releaseLock();
  }
}
