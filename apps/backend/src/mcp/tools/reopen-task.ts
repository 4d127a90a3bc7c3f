import { z } from 'zod';
import { defineTool, quote } from './types.js';

export const reopenTask = defineTool({
  name: 'reopen_task',
  title: 'Reopen a task',
  description: 'Mark a done task as not done (open) again, by id.',
  inputSchema: z.strictObject({ id: z.uuid().describe('task id from list_tasks or add_task') }),
  readOnly: false,
  destructive: false,
  async run(ctx, args) {
    const task = await ctx.tasks.setCompleted(ctx.userId, args.id, false);
    return { summary: `Reopened ${quote(task.title)}`, changed: true, data: { task } };
  },
});
