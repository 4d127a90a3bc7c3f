import { and, asc, desc, eq, ilike, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { type TaskRow, tasks } from '../db/schema.js';
import { HttpProblem, notFound } from '../http/problem.js';
import type { CreateTaskInput, ListTasksQuery, Sort, Task, UpdateTaskInput } from './schemas.js';

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
  constructor(private readonly db: Db) {}

  async list(userId: string, q: ListTasksQuery): Promise<{ items: Task[]; nextCursor: string | null }> {
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
    const rows = await this.db
      .select()
      .from(tasks)
      .where(and(...where))
      .orderBy(descending ? desc(expr) : asc(expr), descending ? desc(tasks.id) : asc(tasks.id))
      .limit(q.limit + 1);
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > q.limit && last
        ? encodeCursor({ s: q.sort, v: cursorValue(key, last), id: last.id })
        : null;
    return { items: page.map(toTask), nextCursor };
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
