import { and, asc, desc, eq, ilike, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { type TaskRow, taskListVersions, tasks } from '../db/schema.js';
import { etagOf } from '../http/etag.js';
import { HttpProblem, notFound } from '../http/problem.js';
import type { CreateTaskInput, ListTasksQuery, Sort, Task, UpdateTaskInput } from './schemas.js';
import { TaskListCache, type TaskListPage } from './task-list-cache.js';

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

const PRIORITY_RANK = sql<number>`(CASE ${tasks.priority} WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END)`;

/** The sort expression for a key; nulls of due dates sort last in both directions. */
function sortExpr(key: string, descending: boolean): SQL {
  switch (key) {
    case 'due':
      return descending
        ? sql`coalesce(${tasks.dueAt}, '-infinity'::timestamptz)`
        : sql`coalesce(${tasks.dueAt}, 'infinity'::timestamptz)`;
    case 'priority':
      return PRIORITY_RANK;
    case 'title':
      return sql`lower(${tasks.title})`;
    default:
      return sql`${tasks.createdAt}`;
  }
}

function cursorValue(key: string, row: TaskRow): string | number {
  switch (key) {
    case 'due':
      return row.dueAt ? row.dueAt.toISOString() : 'null';
    case 'priority':
      return { high: 3, medium: 2, low: 1 }[row.priority];
    case 'title':
      return row.title.toLowerCase();
    default:
      return row.createdAt.toISOString();
  }
}

function castValue(key: string, value: string | number, descending: boolean): SQL {
  switch (key) {
    case 'due':
      if (value === 'null') return descending ? sql`'-infinity'::timestamptz` : sql`'infinity'::timestamptz`;
      return sql`${String(value)}::timestamptz`;
    case 'priority':
      return sql`${Number(value)}::int`;
    case 'title':
      return sql`${String(value)}::text`;
    default:
      return sql`${String(value)}::timestamptz`;
  }
}

interface Cursor {
  s: Sort;
  v: string | number;
  id: string;
}

const badCursor = () =>
  new HttpProblem(400, 'invalid_cursor', 'cursor is malformed or belongs to another sort');
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decodeCursor(raw: string, sort: Sort): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  const c = parsed as Partial<Cursor> | null;
  if (!c || typeof c !== 'object' || c.s !== sort || typeof c.id !== 'string' || !UUID_RE.test(c.id)) {
    throw badCursor();
  }
  const key = sort.replace('-', '');
  const v = c.v;
  if (key === 'priority') {
    if (typeof v !== 'number' || ![1, 2, 3].includes(v)) throw badCursor();
  } else if (typeof v !== 'string' || v.length > 400) {
    throw badCursor();
  } else if ((key === 'created' || (key === 'due' && v !== 'null')) && Number.isNaN(Date.parse(v))) {
    throw badCursor();
  }
  return c as Cursor;
}

const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

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

  /** WHERE conditions and ORDER BY of a list query (shared by both list forms). */
  private listQuery(userId: string, q: ListTasksQuery) {
    const descending = q.sort.startsWith('-');
    const key = q.sort.replace('-', '');
    const expr = sortExpr(key, descending);
    const where: (SQL | undefined)[] = [eq(tasks.userId, userId)];
    if (q.status === 'open') where.push(eq(tasks.completed, false));
    if (q.status === 'done') where.push(eq(tasks.completed, true));
    if (q.priority) where.push(eq(tasks.priority, q.priority));
    if (q.tag) where.push(sql`${tasks.tags} @> ARRAY[${q.tag}]::text[]`);
    if (q.q) {
      const pattern = `%${escapeLike(q.q)}%`;
      where.push(or(ilike(tasks.title, pattern), ilike(tasks.description, pattern)));
    }
    if (q.cursor) {
      const c = decodeCursor(q.cursor, q.sort);
      const v = castValue(key, c.v, descending);
      where.push(
        descending
          ? sql`(${expr}, ${tasks.id}) < (${v}, ${c.id}::uuid)`
          : sql`(${expr}, ${tasks.id}) > (${v}, ${c.id}::uuid)`,
      );
    }
    const order = descending ? [desc(expr), desc(tasks.id)] : [asc(expr), asc(tasks.id)];
    return { key, where: and(...where), order };
  }

  async list(userId: string, q: ListTasksQuery): Promise<{ items: Task[]; nextCursor: string | null }> {
    const { key, where, order } = this.listQuery(userId, q);
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
   * The same page as `list`, rendered: the JSON text of `{ items, nextCursor }` and its entity tag.
   * Served from the list cache when the user's list version is unchanged since it was rendered
   * (one primary-key read); otherwise PostgreSQL builds the JSON itself, so the hot REST path
   * skips row decoding, Date objects and re-serialising.
   */
  async listPage(userId: string, q: ListTasksQuery): Promise<TaskListPage> {
    if (!this.listCache.enabled) return this.renderPage(userId, q);
    const key = TaskListCache.key(userId, q);
    const [row] = await this.listVersion.execute({ userId });
    const hit = this.listCache.get(key, Number(row?.version ?? 0));
    if (hit) return hit;
    const page = await this.renderPage(userId, q);
    this.listCache.set(key, page);
    return page;
  }

  private async renderPage(userId: string, q: ListTasksQuery): Promise<TaskListPage> {
    const { key, where, order } = this.listQuery(userId, q);
    const n = q.limit;
    const iso = (col: SQL) => sql`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    // one statement, so the version belongs to the same snapshot as the page
    const result = await this.db.execute(sql`
      WITH page AS (
        SELECT ${tasks.id} AS id, ${tasks.title} AS title, ${tasks.description} AS description,
               ${tasks.completed} AS completed, ${tasks.priority} AS priority, ${tasks.tags} AS tags,
               ${tasks.dueAt} AS due_at, ${tasks.createdAt} AS created_at, ${tasks.updatedAt} AS updated_at,
               row_number() OVER (ORDER BY ${sql.join(order, sql`, `)}) AS rn
        FROM ${tasks} WHERE ${where} ORDER BY ${sql.join(order, sql`, `)} LIMIT ${n + 1}
      )
      SELECT coalesce(json_agg(json_build_object(
               'id', id, 'title', title, 'description', description, 'completed', completed,
               'priority', priority, 'tags', tags, 'dueAt', ${iso(sql`due_at`)},
               'createdAt', ${iso(sql`created_at`)}, 'updatedAt', ${iso(sql`updated_at`)}
             ) ORDER BY rn) FILTER (WHERE rn <= ${n}), '[]')::text AS items,
             count(*)::int AS total,
             max(id::text) FILTER (WHERE rn = ${n}) AS last_id,
             max(${iso(sql`created_at`)}) FILTER (WHERE rn = ${n}) AS last_created,
             max(${iso(sql`due_at`)}) FILTER (WHERE rn = ${n}) AS last_due,
             max(priority) FILTER (WHERE rn = ${n}) AS last_priority,
             max(title) FILTER (WHERE rn = ${n}) AS last_title,
             (SELECT ${taskListVersions.version} FROM ${taskListVersions}
               WHERE ${taskListVersions.userId} = ${userId}) AS version
      FROM page`);
    const row = (result as unknown as { rows: Record<string, unknown>[] }).rows[0] ?? {};
    let nextCursor: string | null = null;
    if (Number(row.total) > n && typeof row.last_id === 'string') {
      const last = {
        id: row.last_id,
        title: String(row.last_title),
        priority: row.last_priority as TaskRow['priority'],
        createdAt: new Date(String(row.last_created)),
        dueAt: row.last_due ? new Date(String(row.last_due)) : null,
      } as TaskRow;
      nextCursor = encodeCursor({ s: q.sort, v: cursorValue(key, last), id: last.id });
    }
    const body = Buffer.from(
      `{"items":${String(row.items ?? '[]')},"nextCursor":${JSON.stringify(nextCursor)}}`,
    );
    return { version: Number(row.version ?? 0), body, etag: etagOf(body) };
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
    if (!row) throw notFound('task');
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
    if (!row) throw notFound('task');
    return toTask(row);
  }

  setCompleted(userId: string, id: string, completed: boolean): Promise<Task> {
    return this.update(userId, id, { completed });
  }

  async remove(userId: string, id: string): Promise<Task> {
    const [row] = await this.db
      .delete(tasks)
      .where(and(eq(tasks.id, id), eq(tasks.userId, userId)))
      .returning();
    if (!row) throw notFound('task');
    return toTask(row);
  }
}
