import { z } from 'zod';
import { Priority, Task } from './tasks.ts';

// What the MCP task tools answer. Every tool's text content is the JSON of a ToolOutput; the chat
// layer, the offline model and any MCP client read it back with these schemas.

/**
 * The names of the MCP task tools, sorted: what an MCP client with a write key and the agent are
 * offered. The backend registers exactly these (its tool registry is typed and tested against it).
 */
export const TASK_TOOL_NAMES = [
  'add_task',
  'complete_task',
  'complete_tasks',
  'delete_task',
  'delete_tasks',
  'list_tasks',
  'reopen_task',
  'update_task',
] as const;
export type TaskToolName = (typeof TASK_TOOL_NAMES)[number];

export const ToolOutput = z
  .object({
    ok: z.boolean(),
    /** One sentence for people: shown in the chat as the tool call's result. */
    summary: z.string(),
    /** Whether the tool changed the user's tasks (the web app refreshes its board). */
    changed: z.boolean().optional(),
    /** A stable error code when ok is false. */
    error: z.string().optional(),
  })
  .loose();
export type ToolOutput = z.infer<typeof ToolOutput>;

/** A task as list_tasks shows it: numbered from 1 in the order shown. */
export const ListedTask = z.object({
  n: z.number().int(),
  id: z.string(),
  title: z.string(),
  completed: z.boolean(),
  priority: Priority,
  tags: z.array(z.string()),
  dueAt: z.string().nullable(),
});
export type ListedTask = z.infer<typeof ListedTask>;

export const ListTasksOutput = ToolOutput.extend({
  count: z.number().int(),
  tasks: z.array(ListedTask),
  more: z.boolean(),
});
export type ListTasksOutput = z.infer<typeof ListTasksOutput>;

/** add_task, complete_task, reopen_task, update_task and delete_task answer with the task they acted on. */
export const TaskToolOutput = ToolOutput.extend({ task: Task });
export type TaskToolOutput = z.infer<typeof TaskToolOutput>;

/** A task as a bulk tool reports it (list_tasks' fields without the list number). */
export const BulkTask = ListedTask.omit({ n: true });
export type BulkTask = z.infer<typeof BulkTask>;

/**
 * complete_tasks and delete_tasks answer with the tasks they acted on (or, for a delete without
 * a confirmation, would act on), how many, and whether more matched than one call acts on.
 */
export const BulkToolOutput = ToolOutput.extend({
  count: z.number().int(),
  tasks: z.array(BulkTask),
  more: z.boolean(),
  /** delete_tasks without a matching `confirm`: nothing was deleted, these tasks would be. */
  pending: z.boolean().optional(),
  /** Pass this back as delete_tasks' `confirm` (same filter) to delete exactly the previewed tasks. */
  confirm: z.string().optional(),
  /** The confirmation given no longer matched (tasks changed since the preview): a new preview. */
  stale: z.boolean().optional(),
});
export type BulkToolOutput = z.infer<typeof BulkToolOutput>;

/** Reads a tool's text output; anything else (an MCP-level error text) becomes a failed output. */
export function readToolOutput(text: string): ToolOutput {
  try {
    const parsed = ToolOutput.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON: an MCP-level error such as invalid arguments
  }
  return { ok: false, summary: text.slice(0, 200) || 'tool failed' };
}
