import { CreateTaskInput } from '@todo/contracts';
import { defineTool, quote } from './types.js';

export const addTask = defineTool({
  name: 'add_task',
  title: 'Add a task',
  description:
    'Create a task for the user. Optional: description, priority (low|medium|high), tags, dueAt (ISO 8601 date-time).',
  inputSchema: CreateTaskInput,
  readOnly: false,
  destructive: false,
  async run(ctx, args) {
    const task = await ctx.tasks.create(ctx.userId, args);
    return { summary: `Added task ${quote(task.title)}`, changed: true, data: { task } };
  },
});
