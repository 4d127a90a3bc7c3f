import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolOutput } from '@todo/contracts';
import { DomainError, NotFoundError } from '../domain/errors.js';
import { type ToolContext, taskTools } from './tools/index.js';

export const MCP_SERVER_NAME = 'todo-tasks';

/**
 * A failed tool call as the tool's result (isError), so the model can read it and answer. The
 * domain's refusals keep their code and message; anything else is reported without its details
 * (it may carry SQL or ids) and rethrown to the caller's log by the MCP server.
 */
function failure(err: unknown): CallToolResult | undefined {
  if (!(err instanceof DomainError)) return undefined;
  const out: ToolOutput = {
    ok: false,
    error: err.code,
    summary: err instanceof NotFoundError ? 'No such task' : err.message,
  };
  return { content: [{ type: 'text', text: JSON.stringify(out) }], isError: true };
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
          const out: ToolOutput = {
            ok: true,
            summary: outcome.summary,
            changed: outcome.changed,
            ...outcome.data,
          };
          return { content: [{ type: 'text', text: JSON.stringify(out) }], structuredContent: out };
        } catch (err) {
          const refused = failure(err);
          if (refused) return refused;
          throw err;
        }
      },
    );
  }
  return server;
}
