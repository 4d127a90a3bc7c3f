import { toApiError } from './api';
import { parseSse } from './sse';

export type ChatEvent =
  | { type: 'conversation'; conversationId: string }
  | { type: 'text-delta'; delta: string }
  | { type: 'tool-call'; id: string; name: string; arguments: Record<string, unknown> }
  | { type: 'tool-result'; id: string; name: string; ok: boolean; summary: string }
  | { type: 'done'; messageId: string; tasksChanged: boolean }
  | { type: 'error'; code: string; message: string };

const KNOWN = new Set(['conversation', 'text-delta', 'tool-call', 'tool-result', 'done', 'error']);

/** POST /api/chat and yield its server-sent events, typed. Throws ApiError when the request fails. */
export async function* streamChat(
  input: { conversationId?: string | undefined; message: string },
  signal?: AbortSignal,
): AsyncGenerator<ChatEvent> {
  const res = await fetch('/api/chat', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(input.conversationId ? input : { message: input.message }),
    ...(signal ? { signal } : {}),
  });
  if (!res.ok || !res.body) throw await toApiError(res);
  for await (const { event, data } of parseSse(res.body)) {
    if (!KNOWN.has(event)) continue;
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(data) as Record<string, unknown>;
    } catch {
      continue;
    }
    yield { type: event, ...payload } as ChatEvent;
    if (event === 'done' || event === 'error') return;
  }
}
