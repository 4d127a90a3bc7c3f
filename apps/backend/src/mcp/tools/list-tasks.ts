import { type ListedTask, Priority, Sort, Status, Tag } from '@todo/contracts';
import { z } from 'zod';
import { bulkTask, plural } from './bulk.js';
import { defineTool } from './types.js';

export const ListTasksArgs = z.strictObject({
  status: Status.optional().describe('all (default), open or done'),
  priority: Priority.optional(),
  tag: Tag.optional(),
  q: z.string().trim().max(200).optional().describe('text to search in titles and descriptions'),
  sort: Sort.optional().describe('default -created (newest first)'),
  limit: z.number().int().min(1).max(100).optional().describe('default 20'),
});

export const listTasks = defineTool({
  name: 'list_tasks',
  title: 'List tasks',
  description:
    "List the user's tasks, numbered from 1 in the order shown. Filters: status, priority, tag, q (search). Use the ids to act on tasks.",
  inputSchema: ListTasksArgs,
  readOnly: true,
  destructive: false,
  async run(ctx, args) {
    const page = await ctx.tasks.list(ctx.userId, {
      status: args.status ?? 'all',
      priority: args.priority,
      tag: args.tag,
      q: args.q,
      sort: args.sort ?? '-created',
      limit: args.limit ?? 20,
    });
    const items: ListedTask[] = page.items.map((t, i) => ({ n: i + 1, ...bulkTask(t) }));
    const count = items.length;
    const summary = count === 0 ? 'No matching tasks' : `Listed ${plural(count, 'task')}`;
    return { summary, changed: false, data: { count, tasks: items, more: page.nextCursor !== null } };
  },
});
