import type { ToolChoice, UserMessageContent } from '@openai/chatkit';
import { MultiLine, Title } from '@todo/contracts';
import { z } from 'zod';

/** Validation of ChatKit requests; the inferred input types are checked against `@openai/chatkit`'s below. */
const threadId = z.string().min(1).max(200);
const order = z.enum(['asc', 'desc']).default('desc');
const pageParams = {
  limit: z.number().int().min(1).max(200).nullish(),
  order,
  after: z.string().max(200).nullish(),
};

export const UserMessageContentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('input_text'), text: MultiLine.max(100_000) }),
  z.object({
    type: z.literal('input_tag'),
    text: MultiLine.max(100_000),
    id: z.string(),
    group: z.string().optional(),
    data: z.record(z.string(), z.unknown()).optional(),
    interactive: z.boolean().optional(),
  }),
]);

export const ToolChoiceSchema = z.object({ id: z.string() });

export const UserMessageInputSchema = z.object({
  content: z.array(UserMessageContentSchema).min(1).max(50),
  attachments: z.array(z.string()).max(0, 'attachments are not supported').default([]),
  quoted_text: MultiLine.max(100_000).nullish(),
  inference_options: z
    .object({ tool_choice: ToolChoiceSchema.nullish(), model: z.string().nullish() })
    .default({}),
});

const metadata = z.record(z.string(), z.unknown()).optional();

export const ChatKitRequestSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('threads.create'),
    params: z.object({ input: UserMessageInputSchema }),
    metadata,
  }),
  z.object({
    type: z.literal('threads.add_user_message'),
    params: z.object({ thread_id: threadId, input: UserMessageInputSchema }),
    metadata,
  }),
  z.object({
    type: z.literal('threads.list'),
    params: z.object(pageParams).default({ order: 'desc' }),
    metadata,
  }),
  z.object({ type: z.literal('threads.get_by_id'), params: z.object({ thread_id: threadId }), metadata }),
  z.object({
    type: z.literal('items.list'),
    params: z.object({ thread_id: threadId, ...pageParams }),
    metadata,
  }),
  z.object({
    type: z.literal('threads.update'),
    params: z.object({ thread_id: threadId, title: Title }),
    metadata,
  }),
  z.object({ type: z.literal('threads.delete'), params: z.object({ thread_id: threadId }), metadata }),
  z.object({
    type: z.literal('items.feedback'),
    params: z.object({
      thread_id: threadId,
      item_ids: z.array(z.string()).max(200),
      kind: z.enum(['positive', 'negative']),
    }),
    metadata,
  }),
]);

export type ChatKitRequest = z.infer<typeof ChatKitRequestSchema>;
export type UserMessageInput = z.infer<typeof UserMessageInputSchema>;

/** Request types answered as a text/event-stream. */
export const STREAMING_TYPES = new Set<ChatKitRequest['type']>([
  'threads.create',
  'threads.add_user_message',
]);

// Compile-time checks: what we accept is exactly what the ChatKit component sends.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Normalise<T> = T extends { type: 'input_tag' } ? Omit<T, never> : T;
export const contentMatchesChatKit: Same<
  Normalise<z.infer<typeof UserMessageContentSchema>>,
  Normalise<UserMessageContent>
> = true;
export const toolChoiceMatchesChatKit: Same<z.infer<typeof ToolChoiceSchema>, ToolChoice> = true;
