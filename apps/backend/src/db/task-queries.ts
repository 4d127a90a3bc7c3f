import type { ListTasksQuery } from '@todo/contracts';
import { and, asc, desc, eq, ilike, or, type SQL, sql } from 'drizzle-orm';
import type { Cursor, SortKey } from '../domain/task-cursor.js';
import { tasks } from './schema.js';

// The SQL of a task list: filters, sort order and the keyset condition of a cursor.

const PRIORITY_RANK = sql<number>`(CASE ${tasks.priority} WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END)`;

/** The sort expression for a key; tasks without a due date sort last in both directions. */
function sortExpr(key: SortKey, descending: boolean): SQL {
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

function castValue(key: SortKey, value: string | number, descending: boolean): SQL {
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

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/** WHERE and ORDER BY of one user's list page, after `cursor` when one is given. */
export function listConditions(
  userId: string,
  q: Pick<ListTasksQuery, 'status' | 'priority' | 'tag' | 'q' | 'sort'>,
  key: SortKey,
  cursor: Cursor | undefined,
): { where: SQL | undefined; order: SQL[] } {
  const descending = q.sort.startsWith('-');
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
  if (cursor) {
    const v = castValue(key, cursor.v, descending);
    where.push(
      descending
        ? sql`(${expr}, ${tasks.id}) < (${v}, ${cursor.id}::uuid)`
        : sql`(${expr}, ${tasks.id}) > (${v}, ${cursor.id}::uuid)`,
    );
  }
  const order = descending ? [desc(expr), desc(tasks.id)] : [asc(expr), asc(tasks.id)];
  return { where: and(...where), order };
}
