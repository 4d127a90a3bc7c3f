import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolOutput } from '@todo/contracts';
import { DomainError, NotFoundError } from '../domain/errors.js';
import { type ToolContext, taskTools } from './tools/index.js';

export const MCP_SERVER_NAME = 'todo-tasks';

const result = (out: ToolOutput, isError = false): CallToolResult =>
  isError
    ? { content: [{ type: 'text', text: JSON.stringify(out) }], isError: true }
    : { content: [{ type: 'text', text: JSON.stringify(out) }], structuredContent: out };

/**
 * A failed tool call as the tool's result (isError), so the model can read it and answer. The
 * domain's refusals keep their code and message; anything else is logged through `ctx.onError`
 * and answered without its details, which may carry SQL or ids.
 */
function failure(err: unknown, ctx: ToolContext): CallToolResult {
  if (err instanceof DomainError) {
    const summary = err instanceof NotFoundError ? 'No such task' : err.message;
    return result({ ok: false, error: err.code, summary }, true);
  }
  ctx.onError?.(err);
  return result(
    { ok: false, error: 'internal_error', summary: 'The tool failed; nothing was changed.' },
    true,
  );
}

export interface McpServerOptions {
  /** read: only the read-only tools are offered (an MCP key with the read scope). Default write. */
  scope?: 'read' | 'write';
}

/**
 * A fresh MCP server bound to one user. It is cheap (a few registrations) and is created per HTTP
 * request (stateless Streamable HTTP) and per chat turn (in-memory transport for the agent).
 */
export function createMcpServer(ctx: ToolContext, options: McpServerOptions = {}): McpServer {
  const server = new McpServer({ name: MCP_SERVER_NAME, version: '1.0.0' }, { capabilities: { tools: {} } });
  const tools = options.scope === 'read' ? taskTools.filter((tool) => tool.readOnly) : taskTools;
  for (const tool of tools) {
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
          return result({ ok: true, summary: outcome.summary, changed: outcome.changed, ...outcome.data });
        } catch (err) {
          return failure(err, ctx);
        }
      },
    );
  }
  return server;
}
