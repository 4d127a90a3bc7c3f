import { Description, DueAt, Priority, Tags, Title } from '@todo/contracts';
import { z } from 'zod';
import { defineTool, quote } from './types.js';

export const updateTask = defineTool({
  name: 'update_task',
  title: 'Update a task',
  description: 'Change a task by id: title, description, priority, tags or dueAt (null clears the due date).',
  inputSchema: z.strictObject({
    id: z.uuid(),
    title: Title.optional(),
    description: Description.optional(),
    priority: Priority.optional(),
    tags: Tags.optional(),
    dueAt: DueAt.optional(),
  }),
  readOnly: false,
  destructive: false,
  async run(ctx, { id, ...patch }) {
    const before = await ctx.tasks.get(ctx.userId, id);
    const task = await ctx.tasks.update(ctx.userId, id, patch);
    const what: string[] = [];
    if (patch.title !== undefined && patch.title !== before.title)
      what.push(`renamed to ${quote(task.title)}`);
    if (patch.priority !== undefined) what.push(`priority ${task.priority}`);
    if (patch.dueAt !== undefined) what.push(task.dueAt ? `due ${task.dueAt.slice(0, 10)}` : 'no due date');
    if (patch.tags !== undefined) what.push(task.tags.length ? `tags ${task.tags.join(', ')}` : 'no tags');
    if (patch.description !== undefined) what.push('description updated');
    const summary = `Updated ${quote(before.title)}${what.length ? `: ${what.join(', ')}` : ''}`;
    return { summary, changed: true, data: { task } };
  },
});
