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
export const MessageList = z.object({ items: z.array(Message) });
export type MessageList = z.infer<typeof MessageList>;
