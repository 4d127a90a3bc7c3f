import { z } from 'zod';

// Tasks: the REST API's bodies and answers, and the MCP tools' arguments, defined once.

export const PRIORITIES = ['low', 'medium', 'high'] as const;
export const Priority = z.enum(PRIORITIES);
export type Priority = z.infer<typeof Priority>;

// Text fields refuse control characters: PostgreSQL cannot store NUL, and none of them belongs in
// a title or a tag. Multi-line fields keep tab, line feed and carriage return.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
const CONTROL = /[\u0000-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
const CONTROL_EXCEPT_WHITESPACE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const NO_CONTROL = 'must not contain control characters';

/** One line of text, trimmed: no control characters at all. */
export const SingleLine = z
  .string()
  .trim()
  .refine((s) => !CONTROL.test(s), NO_CONTROL);
/** Text that may span lines: tab, line feed and carriage return allowed, other control characters not. */
export const MultiLine = z.string().refine((s) => !CONTROL_EXCEPT_WHITESPACE.test(s), NO_CONTROL);

/** Earliest and latest due dates: far beyond any real plan, inside what every client and database handles. */
export const DUE_AT_MIN = '1900-01-01T00:00:00.000Z';
export const DUE_AT_MAX = '9999-12-31T23:59:59.999Z';

export const Title = SingleLine.min(1, 'title must not be empty').max(200);
export const Description = MultiLine.max(4000);
export const Tag = SingleLine.min(1).max(32);
export const Tags = z.array(Tag).max(10);
export const DueAt = z.iso
  .datetime({ offset: true })
  .refine(
    (v) => {
      const t = Date.parse(v);
      return t >= Date.parse(DUE_AT_MIN) && t <= Date.parse(DUE_AT_MAX);
    },
    `must be between ${DUE_AT_MIN.slice(0, 4)} and ${DUE_AT_MAX.slice(0, 4)}`,
  )
  .nullable();

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
export const SearchText = SingleLine.max(200);

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
