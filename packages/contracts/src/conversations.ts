import { z } from 'zod';

// Conversations with the assistant and their stored messages.

export const Conversation = z
  .object({ id: z.uuid(), title: z.string(), createdAt: z.string(), updatedAt: z.string() })
  .meta({ id: 'Conversation' });
export type Conversation = z.infer<typeof Conversation>;

/** A tool call as stored with an assistant message and shown again when the conversation is reopened. */
export const ToolCall = z.object({
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  summary: z.string(),
  ok: z.boolean(),
});
export type ToolCall = z.infer<typeof ToolCall>;

export const Message = z
  .object({
    id: z.uuid(),
    role: z.enum(['user', 'assistant']),
    content: z.string(),
    toolCalls: z.array(ToolCall),
    createdAt: z.string(),
  })
  .meta({ id: 'Message' });
export type Message = z.infer<typeof Message>;

export const ConversationList = z.object({ items: z.array(Conversation) });
export type ConversationList = z.infer<typeof ConversationList>;
/**
 * A page of a conversation's messages, oldest first: the newest `limit` ones, or the newest before
 * the message `before`. `nextBefore` names the page of older ones (null: this page reaches the start).
 */
export const MessageList = z.object({ items: z.array(Message), nextBefore: z.uuid().nullable() });
export type MessageList = z.infer<typeof MessageList>;

export const ListMessagesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(100),
  before: z.uuid().optional(),
});
export type ListMessagesQuery = z.infer<typeof ListMessagesQuery>;
