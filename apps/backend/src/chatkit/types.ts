/**
 * The ChatKit server protocol (custom backend), as the ChatKit web component speaks it to `api.url`.
 * The input shapes come from `@openai/chatkit` (the component's own type definitions); the thread, item
 * and event shapes are not in that package, so they are written here after the ChatKit server SDK's
 * `chatkit.types` (snake_case on the wire, dates as ISO strings).
 */
import type { Attachment, ToolChoice, UserMessageContent } from '@openai/chatkit';

export type { ToolChoice, UserMessageContent };

export type ThreadStatus =
  | { type: 'active' }
  | { type: 'locked'; reason?: string }
  | { type: 'closed'; reason?: string };

export interface ThreadMetadata {
  id: string;
  title: string | null;
  created_at: string;
  status: ThreadStatus;
  metadata: Record<string, unknown>;
}

export interface Page<T> {
  data: T[];
  has_more: boolean;
  after: string | null;
}

export interface Thread extends ThreadMetadata {
  items: Page<ThreadItem>;
}

interface ItemBase {
  id: string;
  thread_id: string;
  created_at: string;
}

export interface UserMessageItem extends ItemBase {
  type: 'user_message';
  content: UserMessageContent[];
  attachments: Attachment[];
  quoted_text: string | null;
  inference_options: { tool_choice?: ToolChoice | null; model?: string | null };
}

export interface AssistantMessageContent {
  type: 'output_text';
  text: string;
  annotations: unknown[];
}

export interface AssistantMessageItem extends ItemBase {
  type: 'assistant_message';
  content: AssistantMessageContent[];
}

/** A server-side tool call, shown as a task: "Calling add_task…" then its summary. */
export interface CustomTask {
  type: 'custom';
  title: string;
  content: string | null;
  status_indicator: 'none' | 'loading' | 'complete';
}

export interface TaskItem extends ItemBase {
  type: 'task';
  task: CustomTask;
}

export type ThreadItem = UserMessageItem | AssistantMessageItem | TaskItem;

export type ThreadItemUpdate =
  | { type: 'assistant_message.content_part.added'; content_index: number; content: AssistantMessageContent }
  | { type: 'assistant_message.content_part.text_delta'; content_index: number; delta: string }
  | { type: 'assistant_message.content_part.done'; content_index: number; content: AssistantMessageContent };

export type ThreadStreamEvent =
  | { type: 'stream_options'; stream_options: { allow_cancel: boolean } }
  | { type: 'thread.created'; thread: Thread }
  | { type: 'thread.updated'; thread: Thread }
  | { type: 'thread.item.added'; item: ThreadItem }
  | { type: 'thread.item.updated'; item_id: string; update: ThreadItemUpdate }
  | { type: 'thread.item.done'; item: ThreadItem }
  | { type: 'client_effect'; name: string; data: Record<string, unknown> }
  | { type: 'error'; code: 'stream.error' | 'custom'; message: string | null; allow_retry: boolean };
