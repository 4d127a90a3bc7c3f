import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { HttpProblem } from '../http/problem.js';
import { type ToolContext, taskTools } from './tools/index.js';

export const MCP_SERVER_NAME = 'todo-tasks';

/** Shape of every tool's text output (JSON), read back by the chat layer and the offline model. */
export interface ToolTextOutput {
  ok: boolean;
  summary: string;
  changed?: boolean;
  error?: string;
  [key: string]: unknown;
}

/**
 * A fresh MCP server bound to one user. It is cheap (five registrations) and is created per HTTP
 * request (stateless Streamable HTTP) and per chat turn (in-memory transport for the agent).
 */
export function createMcpServer(ctx: ToolContext): McpServer {
  const server = new McpServer({ name: MCP_SERVER_NAME, version: '1.0.0' }, { capabilities: { tools: {} } });
  for (const tool of taskTools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        annotations: { readOnlyHint: tool.readOnly, destructiveHint: tool.destructive, openWorldHint: false },
      },
      async (args: unknown): Promise<CallToolResult> => {
        try {
          const outcome = await tool.run(ctx, args as never);
          const out: ToolTextOutput = {
            ok: true,
            summary: outcome.summary,
            changed: outcome.changed,
            ...outcome.data,
          };
          return { content: [{ type: 'text', text: JSON.stringify(out) }], structuredContent: out };
        } catch (err) {
          if (err instanceof HttpProblem && err.status < 500) {
            const out: ToolTextOutput = {
              ok: false,
              error: err.code,
              summary: err.status === 404 ? 'No such task' : err.message,
            };
            return { content: [{ type: 'text', text: JSON.stringify(out) }], isError: true };
          }
          throw err;
        }
      },
    );
  }
  return server;
}
