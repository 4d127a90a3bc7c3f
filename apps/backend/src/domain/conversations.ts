import type { Conversation, ListMessagesQuery, Message, MessageList } from '@todo/contracts';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import {
  type ConversationRow,
  conversations,
  type MessageRow,
  messages,
  type StoredToolCall,
} from '../db/schema.js';
import { InvalidInputError, NotFoundError } from './errors.js';

/** One message to store: who said it, what, the tool calls that ran for it, and when. */
export interface NewMessage {
  role: 'user' | 'assistant';
  content: string;
  toolCalls?: StoredToolCall[];
  /** Defaults to now. */
  at?: Date;
  /** A caller-chosen id (ChatKit announces item ids before they are stored). */
  id?: string;
}

const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  title: r.title,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export const toMessage = (r: MessageRow): Message => ({
  id: r.id,
  role: r.role,
  content: r.content,
  toolCalls: r.toolCalls.map(({ name, arguments: args, summary, ok }) => ({
    name,
    arguments: args,
    summary,
    ok,
  })),
  createdAt: r.createdAt.toISOString(),
});

/** Conversations and their messages, every query scoped to one user. */
export class ConversationService {
  constructor(private readonly db: Db) {}

  async list(userId: string): Promise<Conversation[]> {
    const rows = await this.db
      .select()
      .from(conversations)
      .where(eq(conversations.userId, userId))
      .orderBy(desc(conversations.updatedAt), desc(conversations.id))
      .limit(200);
    return rows.map(toConversation);
  }

  async create(userId: string, firstMessage: string): Promise<Conversation> {
    const title = firstMessage.replace(/\s+/g, ' ').trim().slice(0, 80) || 'New conversation';
    const [row] = await this.db.insert(conversations).values({ userId, title }).returning();
    if (!row) throw new Error('insert returned no row');
    return toConversation(row);
  }

  async get(userId: string, id: string): Promise<Conversation> {
    const [row] = await this.db
      .select()
      .from(conversations)
      .where(and(eq(conversations.id, id), eq(conversations.userId, userId)))
      .limit(1);
    if (!row) throw new NotFoundError('conversation');
    return toConversation(row);
  }

  /** Full rows, oldest first (the agent replays stored tool outputs). Throws 404 for others' ids. */
  async history(
    userId: string,
    conversationId: string,
    limit = 50,
    ownershipChecked = false,
  ): Promise<MessageRow[]> {
    // Rows are filtered by user as well, so skipping the check can only ever return nothing.
    if (!ownershipChecked) await this.get(userId, conversationId);
    const rows = await this.db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), eq(messages.userId, userId)))
      .orderBy(desc(messages.createdAt), desc(messages.id))
      .limit(limit);
    return rows.reverse();
  }

  /** One page of a conversation's messages, oldest first (see MessageList in the contracts). */
  async messages(userId: string, conversationId: string, page: ListMessagesQuery): Promise<MessageList> {
    await this.get(userId, conversationId);
    const mine = and(eq(messages.conversationId, conversationId), eq(messages.userId, userId));
    let where = mine;
    if (page.before) {
      const [anchor] = await this.db
        .select({ createdAt: messages.createdAt, id: messages.id })
        .from(messages)
        .where(and(mine, eq(messages.id, page.before)))
        .limit(1);
      if (!anchor)
        throw new InvalidInputError('invalid_cursor', 'before is not a message of this conversation');
      where = and(mine, sql`(${messages.createdAt}, ${messages.id}) < (${anchor.createdAt}, ${anchor.id})`);
    }
    const rows = await this.db
      .select()
      .from(messages)
      .where(where)
      .orderBy(desc(messages.createdAt), desc(messages.id))
      .limit(page.limit + 1);
    const items = rows.slice(0, page.limit).reverse();
    return {
      items: items.map(toMessage),
      nextBefore: rows.length > page.limit ? (items[0]?.id ?? null) : null,
    };
  }

  async append(userId: string, conversationId: string, message: NewMessage): Promise<MessageRow> {
    const { role, content, toolCalls = [], id } = message;
    const now = message.at ?? new Date();
    // Independent statements: on a pool they run side by side.
    const [[row]] = await Promise.all([
      this.db
        .insert(messages)
        .values({ ...(id ? { id } : {}), conversationId, userId, role, content, toolCalls, createdAt: now })
        .returning(),
      this.db
        .update(conversations)
        .set({ updatedAt: now })
        .where(and(eq(conversations.id, conversationId), eq(conversations.userId, userId))),
    ]);
    if (!row) throw new Error('insert returned no row');
    return row;
  }

  async rename(userId: string, id: string, title: string): Promise<Conversation> {
    const [row] = await this.db
      .update(conversations)
      .set({ title: title.replace(/\s+/g, ' ').trim().slice(0, 200) })
      .where(and(eq(conversations.id, id), eq(conversations.userId, userId)))
      .returning();
    if (!row) throw new NotFoundError('conversation');
    return toConversation(row);
  }

  async remove(userId: string, id: string): Promise<void> {
    const rows = await this.db
      .delete(conversations)
      .where(and(eq(conversations.id, id), eq(conversations.userId, userId)))
      .returning({ id: conversations.id });
    if (rows.length === 0) throw new NotFoundError('conversation');
  }
}
