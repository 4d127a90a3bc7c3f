import type { Sort } from '@todo/contracts';
import { z } from 'zod';
import type { TaskRow } from '../db/schema.js';
import { InvalidInputError } from './errors.js';

/**
 * Keyset pagination of task lists: a cursor names the last task of a page by its sort value and
 * id. It is opaque to clients (base64url JSON) and parsed strictly, because a client can forge it.
 */
export interface Cursor {
  s: Sort;
  v: string | number;
  id: string;
}

/** The sort key without its direction: created, due, priority or title. */
export type SortKey = 'created' | 'due' | 'priority' | 'title';
export const sortKey = (sort: Sort): SortKey => sort.replace('-', '') as SortKey;

// A timestamp exactly as encodeCursor writes it (toISOString of a real date, years 0001–9999).
const Timestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  .refine((v) => !Number.isNaN(Date.parse(v)) && v >= '0001' && new Date(v).toISOString() === v);

const cursorValueSchema: Record<SortKey, z.ZodType<string | number>> = {
  created: Timestamp,
  due: z.union([Timestamp, z.literal('null')]),
  priority: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  title: z
    .string()
    .max(400)
    .refine((v) => !v.includes('\u0000')),
};

const CursorShape = z.strictObject({ s: z.string(), v: z.union([z.string(), z.number()]), id: z.uuid() });

const badCursor = () =>
  new InvalidInputError('invalid_cursor', 'cursor is malformed or belongs to another sort');

export function decodeCursor(raw: string, sort: Sort): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  const shape = CursorShape.safeParse(parsed);
  if (
    !shape.success ||
    shape.data.s !== sort ||
    !cursorValueSchema[sortKey(sort)].safeParse(shape.data.v).success
  ) {
    throw badCursor();
  }
  return { s: sort, v: shape.data.v, id: shape.data.id };
}

export const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');

/** The cursor value of `row` for a sort key. */
export function cursorValue(key: SortKey, row: Pick<TaskRow, 'dueAt' | 'priority' | 'title' | 'createdAt'>) {
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
