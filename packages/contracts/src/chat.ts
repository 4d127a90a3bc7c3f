import { z } from 'zod';
import { MultiLine } from './tasks.ts';

// The chat API: which model answers, one turn's request, and the server-sent events of its answer.

export const ASSISTANT_MODES = ['offline', 'openai', 'compatible'] as const;
export const AssistantInfo = z.object({ mode: z.enum(ASSISTANT_MODES), model: z.string() });
export type AssistantInfo = z.infer<typeof AssistantInfo>;

/** Longest chat message by default (the backend's CHAT_MAX_MESSAGE_LENGTH can lower or raise it). */
export const DEFAULT_MAX_MESSAGE_LENGTH = 4000;

export const chatRequest = (maxMessageLength = DEFAULT_MAX_MESSAGE_LENGTH) =>
  z.strictObject({
    conversationId: z.uuid().optional(),
    message: MultiLine.trim().min(1).max(maxMessageLength),
    /** The user's IANA time zone (e.g. Europe/Berlin): dates like "tomorrow at 9" are read in it. */
    timeZone: z
      .string()
      .max(64)
      .regex(/^[A-Za-z0-9_+\-/]+$/)
      .optional(),
  });
export type ChatRequest = z.infer<ReturnType<typeof chatRequest>>;

/**
 * One event of a chat turn's answer. On the wire each is a server-sent event whose `event:` field
 * is `type` and whose `data:` is the JSON of the other fields (see encodeChatEvent).
 */
export const ChatStreamEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('conversation'), conversationId: z.string() }),
  z.object({ type: z.literal('text-delta'), delta: z.string() }),
  z.object({
    type: z.literal('tool-call'),
    id: z.string(),
    name: z.string(),
    arguments: z.record(z.string(), z.unknown()),
  }),
  z.object({
    type: z.literal('tool-result'),
    id: z.string(),
    name: z.string(),
    ok: z.boolean(),
    summary: z.string(),
  }),
  z.object({ type: z.literal('done'), messageId: z.string(), tasksChanged: z.boolean() }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type ChatStreamEvent = z.infer<typeof ChatStreamEvent>;
export type ChatStreamEventType = ChatStreamEvent['type'];

/** The text of one server-sent event for `e`. */
export function encodeChatEvent(e: ChatStreamEvent): string {
  const { type, ...data } = e;
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Reads one server-sent event back; undefined for an unknown or malformed event (skipped by clients). */
export function decodeChatEvent(event: string, data: string): ChatStreamEvent | undefined {
  let payload: unknown;
  try {
    payload = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const parsed = ChatStreamEvent.safeParse({ ...payload, type: event });
  return parsed.success ? parsed.data : undefined;
}
