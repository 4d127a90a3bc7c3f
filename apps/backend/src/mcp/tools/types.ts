import type { TaskToolName } from '@todo/contracts';
import type { z } from 'zod';
import type { TaskService } from '../../domain/tasks.js';

/** Who a tool acts for, and the domain service it acts through. */
export interface ToolContext {
  userId: string;
  tasks: TaskService;
  /** Told about failures that are not the domain's refusals (the caller logs them). */
  onError?: (err: unknown) => void;
}

export interface ToolOutcome {
  /** One sentence for people: shown in the chat as the tool call's result. */
  summary: string;
  /** Whether the tool changed the user's tasks (the web app refreshes its board). */
  changed: boolean;
  /** Structured data for the model and MCP clients. */
  data: Record<string, unknown>;
}

/** One MCP tool: its schema and behaviour, defined once and served by the MCP server. */
export interface TaskTool<S extends z.ZodObject = z.ZodObject> {
  /** One of the public contract's TASK_TOOL_NAMES. */
  name: TaskToolName;
  title: string;
  description: string;
  inputSchema: S;
  readOnly: boolean;
  destructive: boolean;
  run(ctx: ToolContext, args: z.infer<S>): Promise<ToolOutcome>;
}

export const defineTool = <S extends z.ZodObject>(tool: TaskTool<S>): TaskTool<S> => tool;

export const quote = (s: string) => `“${s}”`;
