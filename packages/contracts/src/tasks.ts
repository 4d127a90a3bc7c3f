import { z } from 'zod';

// Tasks: the REST API's bodies and answers, and the MCP tools' arguments, defined once.

export const PRIORITIES = ['low', 'medium', 'high'] as const;
export const Priority = z.enum(PRIORITIES);
export type Priority = z.infer<typeof Priority>;

export const Title = z.string().trim().min(1, 'title must not be empty').max(200);
export const Description = z.string().max(4000);
export const Tag = z.string().trim().min(1).max(32);
export const Tags = z.array(Tag).max(10);
export const DueAt = z.iso.datetime({ offset: true }).nullable();

export const Task = z
  .object({
    id: z.uuid(),
    title: z.string(),
    description: z.string(),
    completed: z.boolean(),
    priority: Priority,
    tags: z.array(z.string()),
    dueAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Task' });
export type Task = z.infer<typeof Task>;

export const CreateTaskInput = z.strictObject({
  title: Title,
  description: Description.optional(),
  priority: Priority.optional(),
  tags: Tags.optional(),
  dueAt: DueAt.optional(),
});
export type CreateTaskInput = z.infer<typeof CreateTaskInput>;

export const UpdateTaskInput = z.strictObject({
  title: Title.optional(),
  description: Description.optional(),
  priority: Priority.optional(),
  tags: Tags.optional(),
  dueAt: DueAt.optional(),
  completed: z.boolean().optional(),
});
export type UpdateTaskInput = z.infer<typeof UpdateTaskInput>;

export const SORTS = [
  'created',
  '-created',
  'due',
  '-due',
  'priority',
  '-priority',
  'title',
  '-title',
] as const;
export const Sort = z.enum(SORTS);
export type Sort = z.infer<typeof Sort>;
export const Status = z.enum(['all', 'open', 'done']);
export type Status = z.infer<typeof Status>;

/** Free-text search in titles and descriptions. */
export const SearchText = z.string().trim().max(200);

export const ListTasksQuery = z.strictObject({
  status: Status.default('all'),
  priority: Priority.optional(),
  tag: Tag.optional(),
  q: SearchText.optional(),
  sort: Sort.default('-created'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(500).optional(),
});
export type ListTasksQuery = z.infer<typeof ListTasksQuery>;

export const TaskList = z.object({ items: z.array(Task), nextCursor: z.string().nullable() });
export type TaskList = z.infer<typeof TaskList>;

export const IdParams = z.strictObject({ id: z.uuid() });
export const CompleteBody = z.strictObject({ completed: z.boolean() });
