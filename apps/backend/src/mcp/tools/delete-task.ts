import { z } from 'zod';
import { defineTool, quote } from './types.js';

export const deleteTask = defineTool({
  name: 'delete_task',
  title: 'Delete a task',
  description: 'Delete a task by id. This cannot be undone.',
  inputSchema: z.strictObject({ id: z.uuid() }),
  readOnly: false,
  destructive: true,
  async run(ctx, args) {
    const task = await ctx.tasks.remove(ctx.userId, args.id);
    return { summary: `Deleted ${quote(task.title)}`, changed: true, data: { task } };
  },
});
