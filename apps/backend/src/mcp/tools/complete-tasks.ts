import { z } from 'zod';
import { bulkFilterFields, bulkTask, plural } from './bulk.js';
import { defineTool } from './types.js';

export const completeTasks = defineTool({
  name: 'complete_tasks',
  title: 'Complete or reopen many tasks',
  description:
    'Mark every open task matching the filters done (completed: true, the default), or reopen every done ' +
    'task matching them (completed: false). No filter means all of them. Answers with the tasks changed, ' +
    'so the change can be undone with the same tool and their ids.',
  inputSchema: z.strictObject({
    completed: z.boolean().optional().describe('default true'),
    ...bulkFilterFields,
  }),
  readOnly: false,
  destructive: false,
  async run(ctx, { completed = true, ...filter }) {
    const { tasks, more } = await ctx.tasks.matching(ctx.userId, {
      ...filter,
      status: completed ? 'open' : 'done',
    });
    const changed = await ctx.tasks.setCompletedMany(
      ctx.userId,
      tasks.map((t) => t.id),
      completed,
    );
    const summary =
      changed.length === 0
        ? `No ${completed ? 'open' : 'completed'} tasks matched`
        : `${completed ? 'Completed' : 'Reopened'} ${plural(changed.length, 'task')}`;
    return {
      summary,
      changed: changed.length > 0,
      data: { count: changed.length, tasks: changed.map(bulkTask), more },
    };
  },
});
