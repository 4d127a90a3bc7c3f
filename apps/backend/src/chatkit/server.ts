import { randomUUID } from 'node:crypto';
import type { ChatEvent } from '../agent/chat.js';
import type { MessageRow } from '../db/schema.js';
import type { ConversationView } from '../domain/conversations.js';
import { HttpProblem, notFound } from '../http/problem.js';
import type { AppContext } from '../routes/context.js';
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const toThreadMetadata = (c: ConversationView): ThreadMetadata => ({
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
      items.push(userItem(row.id, threadId, created_at, row.content));
      continue;
    }
    row.toolCalls.forEach((call, i) => {
      items.push(taskItem(`${row.id}.tool${i}`, threadId, created_at, call.name, call.summary, true));
    });
    if (row.content) items.push(assistantItem(row.id, threadId, created_at, row.content));
  }
  return items;
}

const userItem = (id: string, threadId: string, at: string, text: string): UserMessageItem => ({
  type: 'user_message',
  id,
  thread_id: threadId,
  created_at: at,
  content: [{ type: 'input_text', text }],
  attachments: [],
  quoted_text: null,
  inference_options: {},
});

const assistantItem = (id: string, threadId: string, at: string, text: string): AssistantMessageItem => ({
  type: 'assistant_message',
  id,
  thread_id: threadId,
  created_at: at,
  content: [{ type: 'output_text', text, annotations: [] }],
});

const taskItem = (
  id: string,
  threadId: string,
  at: string,
  tool: string,
  summary: string,
  done: boolean,
): TaskItem => ({
  type: 'task',
  id,
  thread_id: threadId,
  created_at: at,
  task: {
    type: 'custom',
    title: done ? summary || tool : `Calling ${tool}…`,
    content: done ? tool : null,
    status_indicator: done ? 'complete' : 'loading',
  },
});

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
    throw new HttpProblem(400, 'validation_error', 'invalid body', [
      { path: 'body.params.input.content', message: 'the message is empty' },
    ]);
  }
  if (full.length > maxLength) {
    throw new HttpProblem(400, 'validation_error', 'invalid body', [
      { path: 'body.params.input.content', message: `at most ${maxLength} characters` },
    ]);
  }
  return full;
}

/** ChatKit requests on top of the conversations, scoped to one user. */
export class ChatKitServer {
  constructor(private readonly ctx: AppContext) {}

  private async thread(userId: string, threadId: string): Promise<ConversationView> {
    if (!UUID.test(threadId)) throw notFound('thread');
    try {
      return await this.ctx.conversations.get(userId, threadId);
    } catch (err) {
      if (err instanceof HttpProblem && err.status === 404) throw notFound('thread');
      throw err;
    }
  }

  private async items(userId: string, threadId: string): Promise<ThreadItem[]> {
    return rowsToItems(threadId, await this.ctx.conversations.history(userId, threadId, 10_000, true));
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
      const onEvent = (e: ChatEvent) => {
        switch (e.event) {
          case 'conversation':
            emit({ type: 'thread.item.done', item: userItem(ids.user, threadId, now(), text) });
            return;
          case 'text-delta': {
            if (!open) {
              // Text before and after tool calls is stored as one message; later parts get derived ids.
              open = assistantItem(
                segments++ ? `${ids.reply}.part${segments}` : ids.reply,
                threadId,
                now(),
                '',
              );
              const part = { type: 'output_text' as const, text: '', annotations: [] };
              emit({ type: 'thread.item.added', item: { ...open, content: [] } });
              emit({
                type: 'thread.item.updated',
                item_id: open.id,
                update: { type: 'assistant_message.content_part.added', content_index: 0, content: part },
              });
            }
            const part = open.content[0];
            if (part) part.text += e.data.delta;
            emit({
              type: 'thread.item.updated',
              item_id: open.id,
              update: {
                type: 'assistant_message.content_part.text_delta',
                content_index: 0,
                delta: e.data.delta,
              },
            });
            return;
          }
          case 'tool-call': {
            closeMessage();
            const item = taskItem(`${ids.reply}.tool${tools.size}`, threadId, now(), e.data.name, '', false);
            tools.set(e.data.id, item);
            emit({ type: 'thread.item.added', item });
            return;
          }
          case 'tool-result': {
            const started = tools.get(e.data.id);
            const item = taskItem(
              started?.id ?? randomUUID(),
              threadId,
              started?.created_at ?? now(),
              e.data.name,
              e.data.summary,
              true,
            );
            emit({ type: 'thread.item.done', item });
            return;
          }
          case 'done':
            closeMessage();
            if (e.data.tasksChanged) emit({ type: 'client_effect', name: 'tasks.changed', data: {} });
            return;
          case 'error':
            closeMessage();
            emit({ type: 'error', code: 'custom', message: e.data.message, allow_retry: true });
            return;
        }
      };
      await this.ctx.chat.turn(userId, threadId, text, onEvent, signal, isNew, ids);
    };
  }
}
