import { Status } from '@todo/contracts';
import { z } from 'zod';
import { fingerprint } from '../../domain/tasks.js';
import { bulkFilterFields, bulkTask, plural } from './bulk.js';
import { defineTool } from './types.js';

/**
 * Deleting many tasks takes two calls. The first (no `confirm`) deletes nothing: it answers with
 * the matching tasks and a fingerprint of that set. Ask the user; when they agree, call again with
 * the same filters and `confirm` set to that fingerprint, and exactly those tasks are deleted. If
 * the matching set changed in between, nothing is deleted and a new preview comes back (`stale`).
 * The fingerprint is derived from the task ids, so the confirmation can travel through a stored
 * conversation without any server-side state.
 */
export const deleteTasks = defineTool({
  name: 'delete_tasks',
  title: 'Delete many tasks',
  description:
    'Delete every task matching the filters. Without `confirm` nothing is deleted: the answer lists the ' +
    'matching tasks and a `confirm` value. Ask the user, then call again with the same filters and that ' +
    '`confirm` value to delete them. This cannot be undone.',
  inputSchema: z.strictObject({
    status: Status.describe('which tasks: all, open or done (required, so the scope is always explicit)'),
    ...bulkFilterFields,
    confirm: z.string().max(64).optional().describe('the `confirm` value of the preview'),
  }),
  readOnly: false,
  destructive: true,
  async run(ctx, { confirm, ...filter }) {
    const { tasks, more } = await ctx.tasks.matching(ctx.userId, filter);
    if (tasks.length === 0) {
      return { summary: 'No matching tasks', changed: false, data: { count: 0, tasks: [], more: false } };
    }
    const token = fingerprint(tasks.map((t) => t.id));
    if (confirm !== token) {
      const stale = confirm !== undefined;
      const summary = `${stale ? 'The matching tasks changed: ' : ''}${plural(tasks.length, 'task')}${more ? ' (and more)' : ''} would be deleted; call again with confirm to delete ${tasks.length === 1 ? 'it' : 'them'}`;
      return {
        summary,
        changed: false,
        data: {
          count: tasks.length,
          tasks: tasks.map(bulkTask),
          more,
          pending: true,
          confirm: token,
          ...(stale ? { stale } : {}),
        },
      };
    }
    const deleted = await ctx.tasks.removeMany(
      ctx.userId,
      tasks.map((t) => t.id),
    );
    return {
      summary: `Deleted ${plural(deleted.length, 'task')}`,
      changed: deleted.length > 0,
      data: { count: deleted.length, tasks: deleted.map(bulkTask), more },
    };
  },
});
