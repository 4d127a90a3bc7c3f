import { addTask } from './add-task.js';
import { completeTask } from './complete-task.js';
import { deleteTask } from './delete-task.js';
import { listTasks } from './list-tasks.js';
import type { TaskTool } from './types.js';
import { updateTask } from './update-task.js';

/** The five task tools. The MCP server registers exactly these; the agent reaches them over MCP. */
export const taskTools: readonly TaskTool[] = [
  addTask,
  listTasks,
  completeTask,
  updateTask,
  deleteTask,
] as never;
export type { ToolContext, ToolOutcome } from './types.js';
