// first: zod must be told before @todo/contracts builds its schemas
import './zod-without-eval';
import { type ChatStreamEvent, decodeChatEvent } from '@todo/contracts';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { toApiError } from './api';

/** Largest event the client buffers (one reply is a few kB; a runaway stream is cut off here). */
const MAX_EVENT_CHARS = 1024 * 1024;

/**
 * The server-sent events of a response body, as they arrive (eventsource-parser does the WHATWG
 * parsing). An event cut off by the end of the stream is still delivered: a proxy that drops the
 * final blank line must not swallow `done`.
 */
export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<EventSourceMessage> {
  const queue: EventSourceMessage[] = [];
  const parser = createParser({
    maxBufferSize: MAX_EVENT_CHARS,
    onEvent: (event) => queue.push(event),
  });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      parser.feed(done ? `${decoder.decode()}\n\n` : decoder.decode(value, { stream: true }));
      yield* queue.splice(0);
      if (done) return;
    }
  } finally {
    await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}

/** The browser's IANA time zone, so the assistant reads "tomorrow at 9" as the user means it. */
function browserTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}

/**
 * POST /api/chat and yield its events, each validated against the shared contract
 * (`decodeChatEvent`: unknown or malformed events are skipped). Throws ApiError when the request fails.
 */
export async function* streamChat(
  input: { conversationId?: string | undefined; message: string },
  signal?: AbortSignal,
): AsyncGenerator<ChatStreamEvent> {
  const res = await fetch('/api/chat', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({
      message: input.message,
      ...(input.conversationId ? { conversationId: input.conversationId } : {}),
      ...(browserTimeZone() ? { timeZone: browserTimeZone() } : {}),
    }),
    ...(signal ? { signal } : {}),
  });
  if (!res.ok || !res.body) throw await toApiError(res);
  for await (const { event, data } of readEvents(res.body)) {
    const decoded = decodeChatEvent(event ?? 'message', data);
    if (!decoded) continue;
    yield decoded;
    if (decoded.type === 'done' || decoded.type === 'error') return;
  }
}
