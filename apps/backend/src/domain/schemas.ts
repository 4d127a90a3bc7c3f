import { z } from 'zod';

// One set of zod schemas for the REST routes, the MCP tools and the OpenAPI document.

export const PRIORITIES = ['low', 'medium', 'high'] as const;
export const Priority = z.enum(PRIORITIES);
export type Priority = z.infer<typeof Priority>;

export const Title = z.string().trim().min(1, 'title must not be empty').max(200);
export const Description = z.string().max(4000);
export const Tag = z.string().trim().min(1).max(32);
export const Tags = z.array(Tag).max(10);
export const DueAt = z.iso.datetime({ offset: true }).nullable();

export const TaskSchema = z
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
export type Task = z.infer<typeof TaskSchema>;

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

export const ListTasksQuery = z.strictObject({
  status: Status.default('all'),
  priority: Priority.optional(),
  tag: Tag.optional(),
  q: z.string().trim().max(200).optional(),
  sort: Sort.default('-created'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(500).optional(),
});
export type ListTasksQuery = z.infer<typeof ListTasksQuery>;

export const TaskListSchema = z.object({ items: z.array(TaskSchema), nextCursor: z.string().nullable() });

export const IdParams = z.strictObject({ id: z.uuid() });
export const CompleteBody = z.strictObject({ completed: z.boolean() });

export const ConversationSchema = z
  .object({ id: z.uuid(), title: z.string(), createdAt: z.string(), updatedAt: z.string() })
  .meta({ id: 'Conversation' });
export const ToolCallSchema = z.object({
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  summary: z.string(),
  ok: z.boolean(),
});
export const MessageSchema = z
  .object({
    id: z.uuid(),
    role: z.enum(['user', 'assistant']),
    content: z.string(),
    toolCalls: z.array(ToolCallSchema),
    createdAt: z.string(),
  })
  .meta({ id: 'Message' });
