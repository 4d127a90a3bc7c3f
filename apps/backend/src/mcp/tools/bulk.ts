import { type BulkTask, Priority, SearchText, Tag, type Task } from '@todo/contracts';
import { z } from 'zod';
import { BULK_LIMIT } from '../../domain/tasks.js';

// What the bulk tools share: the filter fields and the shape of the tasks they report.

export const bulkFilterFields = {
  priority: Priority.optional().describe('only tasks of this priority'),
  tag: Tag.optional().describe('only tasks with this tag'),
  q: SearchText.optional().describe('only tasks whose title or description contains this text'),
  ids: z
    .array(z.uuid())
    .min(1)
    .max(BULK_LIMIT)
    .optional()
    .describe('only these tasks (ids from list_tasks); combined with the other filters'),
};

/** A task as the tools report it (list_tasks adds its number). */
export const bulkTask = (t: Task): BulkTask => ({
  id: t.id,
  title: t.title,
  completed: t.completed,
  priority: t.priority,
  tags: t.tags,
  dueAt: t.dueAt,
});

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
