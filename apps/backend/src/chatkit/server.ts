import { randomUUID } from 'node:crypto';
import type { ChatStreamEvent, Conversation } from '@todo/contracts';
import type { AppContext } from '../container.js';
import type { MessageRow } from '../db/schema.js';
import { InvalidInputError, NotFoundError } from '../domain/errors.js';
import type { ChatKitRequest, UserMessageInput } from './schemas.js';
import type {
  AssistantMessageItem,
  Page,
  TaskItem,
  Thread,
  ThreadItem,
  ThreadMetadata,
  ThreadStreamEvent,
  UserMessageItem,
} from './types.js';

/** The most messages a ChatKit thread reads back (the newest ones). */
export const THREAD_HISTORY_LIMIT = 500;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const toThreadMetadata = (c: Conversation): ThreadMetadata => ({
  id: c.id,
  title: c.title,
  created_at: c.createdAt,
  status: { type: 'active' },
  metadata: {},
});

/** Stored messages as ChatKit items: user messages; per reply its tool calls (as tasks), then its text. */
export function rowsToItems(threadId: string, rows: MessageRow[]): ThreadItem[] {
  const items: ThreadItem[] = [];
  for (const row of rows) {
    const created_at = row.createdAt.toISOString();
    if (row.role === 'user') {
      items.push(userItem({ id: row.id, thread_id: threadId, created_at }, row.content));
      continue;
    }
    row.toolCalls.forEach((call, i) => {
      const base = { id: `${row.id}.tool${i}`, thread_id: threadId, created_at };
      items.push(taskItem(base, { tool: call.name, summary: call.summary, done: true }));
    });
    if (row.content) items.push(assistantItem({ id: row.id, thread_id: threadId, created_at }, row.content));
  }
  return items;
}

/** Where an item sits: its id, its thread and when it was made. */
interface ItemBase {
  id: string;
  thread_id: string;
  created_at: string;
}

const userItem = (base: ItemBase, text: string): UserMessageItem => ({
  type: 'user_message',
  ...base,
  content: [{ type: 'input_text', text }],
  attachments: [],
  quoted_text: null,
  inference_options: {},
});

const assistantItem = (base: ItemBase, text: string): AssistantMessageItem => ({
  type: 'assistant_message',
  ...base,
  content: [{ type: 'output_text', text, annotations: [] }],
});

/** A tool call as a ChatKit task item: loading while it runs, its summary once done. */
const taskItem = (base: ItemBase, call: { tool: string; summary: string; done: boolean }): TaskItem => {
  const { tool, summary, done } = call;
  return {
    type: 'task',
    ...base,
    task: {
      type: 'custom',
      title: done ? summary || tool : `Calling ${tool}…`,
      content: done ? tool : null,
      status_indicator: done ? 'complete' : 'loading',
    },
  };
};

/** Cursor pagination over an already ordered list; `after` is the id of the last item of the previous page. */
export function paginate<T extends { id: string }>(
  all: T[],
  params: { limit?: number | null; order: 'asc' | 'desc'; after?: string | null },
  naturalOrder: 'asc' | 'desc',
): Page<T> {
  const ordered = params.order === naturalOrder ? all : [...all].reverse();
  let start = 0;
  if (params.after) {
    const i = ordered.findIndex((x) => x.id === params.after);
    start = i === -1 ? ordered.length : i + 1;
  }
  const limit = params.limit ?? 50;
  const data = ordered.slice(start, start + limit);
  const has_more = start + limit < ordered.length;
  return { data, has_more, after: has_more ? (data.at(-1)?.id ?? null) : null };
}

/** User text of a ChatKit input: the text segments (tags by their text) and any quoted text. */
export function inputText(input: UserMessageInput, maxLength: number): string {
  const text = input.content
    .map((c) => c.text)
    .join('')
    .trim();
  const full = input.quoted_text?.trim() ? `> ${input.quoted_text.trim()}\n\n${text}` : text;
  if (!text) {
    throw new InvalidInputError('validation_error', 'invalid body', [
      { path: 'body.params.input.content', message: 'the message is empty' },
    ]);
  }
  if (full.length > maxLength) {
    throw new InvalidInputError('validation_error', 'invalid body', [
      { path: 'body.params.input.content', message: `at most ${maxLength} characters` },
    ]);
  }
  return full;
}

/** ChatKit requests on top of the conversations, scoped to one user. */
export class ChatKitServer {
  constructor(private readonly ctx: AppContext) {}

  private async thread(userId: string, threadId: string): Promise<Conversation> {
    if (!UUID.test(threadId)) throw new NotFoundError('thread');
    try {
      return await this.ctx.conversations.get(userId, threadId);
    } catch (err) {
      if (err instanceof NotFoundError) throw new NotFoundError('thread');
      throw err;
    }
  }

  private async items(userId: string, threadId: string): Promise<ThreadItem[]> {
    // bounded: a thread shows its newest messages, as many as ChatKit pages through in practice
    return rowsToItems(
      threadId,
      await this.ctx.conversations.history(userId, threadId, THREAD_HISTORY_LIMIT, true),
    );
  }

  /** Answers a non-streaming request with its JSON body. */
  async handle(
    userId: string,
    req: Exclude<ChatKitRequest, { type: 'threads.create' | 'threads.add_user_message' }>,
  ): Promise<ThreadMetadata | Thread | Page<ThreadMetadata> | Page<ThreadItem> | Record<string, never>> {
    const { conversations } = this.ctx;
    switch (req.type) {
      case 'threads.list':
        return paginate((await conversations.list(userId)).map(toThreadMetadata), req.params, 'desc');
      case 'threads.get_by_id': {
        const c = await this.thread(userId, req.params.thread_id);
        const items = paginate(await this.items(userId, c.id), { order: 'asc', limit: 200 }, 'asc');
        return { ...toThreadMetadata(c), items };
      }
      case 'items.list': {
        const c = await this.thread(userId, req.params.thread_id);
        return paginate(await this.items(userId, c.id), req.params, 'asc');
      }
      case 'threads.update': {
        const c = await this.thread(userId, req.params.thread_id);
        return toThreadMetadata(await conversations.rename(userId, c.id, req.params.title));
      }
      case 'threads.delete':
        await this.thread(userId, req.params.thread_id);
        await conversations.remove(userId, req.params.thread_id);
        return {};
      case 'items.feedback':
        await this.thread(userId, req.params.thread_id);
        return {};
    }
  }

  /**
   * Prepares a streaming request (checks and creates before any byte is sent, so failures are problems)
   * and returns the turn, which runs the agent and writes ChatKit thread events through `emit`.
   */
  async prepareTurn(
    userId: string,
    req: Extract<ChatKitRequest, { type: 'threads.create' | 'threads.add_user_message' }>,
  ): Promise<(emit: (e: ThreadStreamEvent) => void, signal: AbortSignal) => Promise<void>> {
    const text = inputText(req.params.input, this.ctx.config.maxMessageLength);
    const isNew = req.type === 'threads.create';
    const conversation = isNew
      ? await this.ctx.conversations.create(userId, text)
      : await this.thread(userId, req.params.thread_id);
    const threadId = conversation.id;

    return async (emit, signal) => {
      emit({ type: 'stream_options', stream_options: { allow_cancel: true } });
      if (isNew) {
        emit({
          type: 'thread.created',
          thread: { ...toThreadMetadata(conversation), items: { data: [], has_more: false, after: null } },
        });
      }
      const now = () => new Date().toISOString();
      // The stored messages get the ids the stream announces, so items.list later returns the same items.
      const ids = { user: randomUUID(), reply: randomUUID() };
      let segments = 0;
      let open: AssistantMessageItem | undefined;
      const tools = new Map<string, TaskItem>();
      const closeMessage = () => {
        if (!open) return;
        const content = open.content[0] ?? { type: 'output_text' as const, text: '', annotations: [] };
        emit({
          type: 'thread.item.updated',
          item_id: open.id,
          update: { type: 'assistant_message.content_part.done', content_index: 0, content },
        });
        emit({ type: 'thread.item.done', item: open });
        open = undefined;
      };
      const onEvent = (e: ChatStreamEvent) => {
        switch (e.type) {
          case 'conversation':
            emit({
              type: 'thread.item.done',
              item: userItem({ id: ids.user, thread_id: threadId, created_at: now() }, text),
            });
            return;
          case 'text-delta': {
            if (!open) {
              // Text before and after tool calls is stored as one message; later parts get derived ids.
              const id = segments++ ? `${ids.reply}.part${segments}` : ids.reply;
              open = assistantItem({ id, thread_id: threadId, created_at: now() }, '');
              const part = { type: 'output_text' as const, text: '', annotations: [] };
              emit({ type: 'thread.item.added', item: { ...open, content: [] } });
              emit({
                type: 'thread.item.updated',
                item_id: open.id,
                update: { type: 'assistant_message.content_part.added', content_index: 0, content: part },
              });
            }
            const part = open.content[0];
            if (part) part.text += e.delta;
            emit({
              type: 'thread.item.updated',
              item_id: open.id,
              update: {
                type: 'assistant_message.content_part.text_delta',
                content_index: 0,
                delta: e.delta,
              },
            });
            return;
          }
          case 'tool-call': {
            closeMessage();
            const base = { id: `${ids.reply}.tool${tools.size}`, thread_id: threadId, created_at: now() };
            const item = taskItem(base, { tool: e.name, summary: '', done: false });
            tools.set(e.id, item);
            emit({ type: 'thread.item.added', item });
            return;
          }
          case 'tool-result': {
            const started = tools.get(e.id);
            const base = {
              id: started?.id ?? randomUUID(),
              thread_id: threadId,
              created_at: started?.created_at ?? now(),
            };
            const item = taskItem(base, { tool: e.name, summary: e.summary, done: true });
            emit({ type: 'thread.item.done', item });
            return;
          }
          case 'done':
            closeMessage();
            if (e.tasksChanged) emit({ type: 'client_effect', name: 'tasks.changed', data: {} });
            return;
          case 'error':
            closeMessage();
            emit({ type: 'error', code: 'custom', message: e.message, allow_retry: true });
            return;
        }
      };
      await this.ctx.chat.turn({
        userId,
        conversationId: threadId,
        message: text,
        emit: onEvent,
        signal,
        newConversation: isNew,
        ids,
      });
    };
  }
}
