import { z } from 'zod';
import { defineTool, quote } from './types.js';

export const completeTask = defineTool({
  name: 'complete_task',
  title: 'Complete or reopen a task',
  description: 'Mark a task done (completed: true, the default) or open again (completed: false), by id.',
  inputSchema: z.strictObject({
    id: z.uuid().describe('task id from list_tasks or add_task'),
    completed: z.boolean().optional().describe('default true'),
  }),
  readOnly: false,
  destructive: false,
  async run(ctx, args) {
    const completed = args.completed ?? true;
    const task = await ctx.tasks.setCompleted(ctx.userId, args.id, completed);
    return {
      summary: `${completed ? 'Completed' : 'Reopened'} ${quote(task.title)}`,
      changed: true,
      data: { task },
    };
  },
});
