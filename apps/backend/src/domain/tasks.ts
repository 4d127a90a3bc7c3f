import { createHash } from 'node:crypto';
import type {
  CreateTaskInput,
  ListTasksQuery,
  Priority,
  Task,
  TaskList,
  UpdateTaskInput,
} from '@todo/contracts';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { type TaskRow, taskListVersions, tasks } from '../db/schema.js';
import { listConditions } from '../db/task-queries.js';
import { etagOf } from '../http/etag.js';
import { NotFoundError } from './errors.js';
import { cursorValue, decodeCursor, encodeCursor, sortKey } from './task-cursor.js';
import { TaskListCache, type TaskListPage } from './task-list-cache.js';

/** A task as the API shows it: the one encoding of a row, for REST, MCP and the cached list pages. */
export function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    completed: row.completed,
    priority: row.priority,
    tags: row.tags,
    dueAt: row.dueAt ? row.dueAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const uniqueTags = (tags: string[]) => [...new Set(tags.map((t) => t.trim()))];

/** Which tasks a bulk operation acts on. Every field narrows; ids, when given, list the candidates. */
export interface TaskFilter {
  status: 'all' | 'open' | 'done';
  priority?: Priority;
  tag?: string;
  q?: string;
  ids?: string[];
}

/** Most tasks one bulk operation acts on; `more` tells the caller that others matched too. */
export const BULK_LIMIT = 200;

/**
 * A short, stable fingerprint of a set of task ids: what a destructive bulk operation's preview
 * hands out and its confirmation must present, so a confirmation never acts on a set the user
 * did not see (a task added or changed in between gives another fingerprint).
 */
export function fingerprint(ids: readonly string[]): string {
  return createHash('sha256')
    .update([...ids].sort().join(','))
    .digest('base64url')
    .slice(0, 16);
}

/** Task operations, every one scoped to one user: an id of another user's task is "not found". */
export class TaskService {
  private readonly listVersion;

  constructor(
    private readonly db: Db,
    private readonly listCache = new TaskListCache(0),
  ) {
    // a named prepared statement: parsed and planned once per pooled connection
    this.listVersion = db
      .select({ version: taskListVersions.version })
      .from(taskListVersions)
      .where(eq(taskListVersions.userId, sql.placeholder('userId')))
      .prepare('task_list_version');
  }

  async list(userId: string, q: ListTasksQuery): Promise<TaskList> {
    const key = sortKey(q.sort);
    const cursor = q.cursor ? decodeCursor(q.cursor, q.sort) : undefined;
    const { where, order } = listConditions(userId, q, key, cursor);
    const rows = await this.db
      .select()
      .from(tasks)
      .where(where)
      .orderBy(...order)
      .limit(q.limit + 1);
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > q.limit && last
        ? encodeCursor({ s: q.sort, v: cursorValue(key, last), id: last.id })
        : null;
    return { items: page.map(toTask), nextCursor };
  }

  /**
   * The same page as `list`, rendered: its JSON bytes and entity tag. Served from the list cache
   * while the user's list version (one primary-key read) is unchanged since it was rendered.
   */
  async listPage(userId: string, q: ListTasksQuery): Promise<TaskListPage> {
    if (!this.listCache.enabled) return this.renderPage(userId, q, 0);
    const key = TaskListCache.key(userId, q);
    const version = await this.readListVersion(userId);
    const hit = this.listCache.get(key, version);
    if (hit) return hit;
    const page = await this.renderPage(userId, q, version);
    this.listCache.set(key, page);
    return page;
  }

  private async readListVersion(userId: string): Promise<number> {
    const [row] = await this.listVersion.execute({ userId });
    return Number(row?.version ?? 0);
  }

  /**
   * `version` was read before the page, so the page reflects at least that version: a change in
   * between only makes the entry unusable at once (the next read sees a newer version), never stale.
   */
  private async renderPage(userId: string, q: ListTasksQuery, version: number): Promise<TaskListPage> {
    const body = Buffer.from(JSON.stringify(await this.list(userId, q)));
    return { version, body, etag: etagOf(body) };
  }

  async create(userId: string, input: CreateTaskInput): Promise<Task> {
    const [row] = await this.db
      .insert(tasks)
      .values({
        userId,
        title: input.title,
        description: input.description ?? '',
        priority: input.priority ?? 'medium',
        tags: uniqueTags(input.tags ?? []),
        dueAt: input.dueAt ? new Date(input.dueAt) : null,
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    return toTask(row);
  }

  async get(userId: string, id: string): Promise<Task> {
    const [row] = await this.db
      .select()
      .from(tasks)
      .where(and(eq(tasks.id, id), eq(tasks.userId, userId)))
      .limit(1);
    if (!row) throw new NotFoundError('task');
    return toTask(row);
  }

  async update(userId: string, id: string, input: UpdateTaskInput): Promise<Task> {
    const patch: Partial<typeof tasks.$inferInsert> = { updatedAt: new Date() };
    if (input.title !== undefined) patch.title = input.title;
    if (input.description !== undefined) patch.description = input.description;
    if (input.priority !== undefined) patch.priority = input.priority;
    if (input.tags !== undefined) patch.tags = uniqueTags(input.tags);
    if (input.dueAt !== undefined) patch.dueAt = input.dueAt ? new Date(input.dueAt) : null;
    if (input.completed !== undefined) patch.completed = input.completed;
    const [row] = await this.db
      .update(tasks)
      .set(patch)
      .where(and(eq(tasks.id, id), eq(tasks.userId, userId)))
      .returning();
    if (!row) throw new NotFoundError('task');
    return toTask(row);
  }

  setCompleted(userId: string, id: string, completed: boolean): Promise<Task> {
    return this.update(userId, id, { completed });
  }

  /** The user's tasks that match `filter`, oldest first, at most BULK_LIMIT (and whether more matched). */
  async matching(userId: string, filter: TaskFilter): Promise<{ tasks: Task[]; more: boolean }> {
    if (filter.ids?.length === 0) return { tasks: [], more: false };
    const { where } = listConditions(userId, { ...filter, sort: 'created' }, 'created', undefined);
    const rows = await this.db
      .select()
      .from(tasks)
      .where(filter.ids ? and(where, inArray(tasks.id, filter.ids)) : where)
      .orderBy(asc(tasks.createdAt), asc(tasks.id))
      .limit(BULK_LIMIT + 1);
    return { tasks: rows.slice(0, BULK_LIMIT).map(toTask), more: rows.length > BULK_LIMIT };
  }

  /** Marks the user's tasks among `ids` done or open; returns those that changed. */
  async setCompletedMany(userId: string, ids: string[], completed: boolean): Promise<Task[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .update(tasks)
      .set({ completed, updatedAt: new Date() })
      .where(and(eq(tasks.userId, userId), inArray(tasks.id, ids), eq(tasks.completed, !completed)))
      .returning();
    return rows.map(toTask);
  }

  /** Deletes the user's tasks among `ids`; returns those deleted. */
  async removeMany(userId: string, ids: string[]): Promise<Task[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .delete(tasks)
      .where(and(eq(tasks.userId, userId), inArray(tasks.id, ids)))
      .returning();
    return rows.map(toTask);
  }

  async remove(userId: string, id: string): Promise<Task> {
    const [row] = await this.db
      .delete(tasks)
      .where(and(eq(tasks.id, id), eq(tasks.userId, userId)))
      .returning();
    if (!row) throw new NotFoundError('task');
    return toTask(row);
  }
}
