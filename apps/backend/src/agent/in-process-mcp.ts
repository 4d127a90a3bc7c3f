import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, CallToolResultContent, MCPServer } from '@openai/agents-core';
import { createMcpServer, MCP_SERVER_NAME } from '../mcp/server.js';
import type { ToolContext } from '../mcp/tools/index.js';

type MCPTool = Awaited<ReturnType<MCPServer['listTools']>>[number];

/**
 * The Agents SDK's MCP server interface, backed by a real MCP client talking to a per-turn
 * McpServer over the SDK's in-memory transport. The agent therefore sees exactly the tools (names,
 * JSON schemas, validation, results) that `/mcp` serves to any other MCP client.
 */
export class InProcessMcpServer implements MCPServer {
  cacheToolsList = true;
  readonly name = MCP_SERVER_NAME;
  private client: Client | undefined;
  private server: McpServer | undefined;
  private tools: MCPTool[] | undefined;
  private connecting: Promise<Client> | undefined;
  private static toolList: MCPTool[] | undefined;

  constructor(private readonly ctx: ToolContext) {}

  /** The session starts on first use, so a turn without tool calls opens none. */
  async connect(): Promise<void> {}

  private async open(): Promise<Client> {
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    this.server = createMcpServer(this.ctx);
    await this.server.connect(serverTransport);
    const client = new Client({ name: 'todo-agent', version: '1.0.0' });
    await client.connect(clientTransport);
    return client;
  }

  async close(): Promise<void> {
    if (this.connecting) await this.connecting.catch(() => undefined);
    await this.client?.close();
    await this.server?.close();
    this.client = undefined;
    this.server = undefined;
    this.connecting = undefined;
  }

  private connected(): Promise<Client> {
    this.connecting ??= this.open().then((client) => {
      this.client = client;
      return client;
    });
    return this.connecting;
  }

  async listTools(): Promise<MCPTool[]> {
    // The tool list is the same for every user and turn: fetched over MCP once per process.
    if (!this.tools) {
      InProcessMcpServer.toolList ??= (await (await this.connected()).listTools())
        .tools as unknown as MCPTool[];
      this.tools = InProcessMcpServer.toolList;
    }
    return this.tools;
  }

  async callToolResult(toolName: string, args: Record<string, unknown> | null): Promise<CallToolResult> {
    const result = await (await this.connected()).callTool({ name: toolName, arguments: args ?? {} });
    return result as unknown as CallToolResult;
  }

  async callTool(toolName: string, args: Record<string, unknown> | null): Promise<CallToolResultContent> {
    const result = await this.callToolResult(toolName, args);
    // The SDK's CallToolResultContent is the content array carrying the result's metadata.
    return Object.assign([...result.content], {
      ...(result.isError !== undefined ? { isError: result.isError } : {}),
      ...(result.structuredContent !== undefined ? { structuredContent: result.structuredContent } : {}),
    }) as CallToolResultContent;
  }

  async invalidateToolsCache(): Promise<void> {
    this.tools = undefined;
  }
}
