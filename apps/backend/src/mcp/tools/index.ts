import { addTask } from './add-task.js';
import { completeTask } from './complete-task.js';
import { completeTasks } from './complete-tasks.js';
import { deleteTask } from './delete-task.js';
import { deleteTasks } from './delete-tasks.js';
import { listTasks } from './list-tasks.js';
import { reopenTask } from './reopen-task.js';
import type { TaskTool } from './types.js';
import { updateTask } from './update-task.js';

/** The task tools. The MCP server registers exactly these; the agent reaches them over MCP. */
export const taskTools: readonly TaskTool[] = [
  addTask,
  listTasks,
  completeTask,
  reopenTask,
  updateTask,
  deleteTask,
  completeTasks,
  deleteTasks,
] as never;
export type { ToolContext, ToolOutcome } from './types.js';
