// What an MCP client needs to reach this app: the endpoint on the page's own origin (the
// frontend's proxy forwards /api/mcp to the backend) and the key as a bearer token, in the shapes
// the common clients read.

/** The name the server gets in a client's configuration. */
export const SERVER_NAME = 'todo';

export function mcpEndpoint(origin: string): string {
  return `${origin.replace(/\/+$/, '')}/api/mcp`;
}

export type ConfigFormat = 'mcpServers' | 'vscode' | 'claude-code';

export const CONFIG_FORMATS: readonly { id: ConfigFormat; label: string; hint: string }[] = [
  {
    id: 'mcpServers',
    label: 'JSON (mcpServers)',
    hint: 'Cursor (~/.cursor/mcp.json or .cursor/mcp.json) and the other clients that read an mcpServers block.',
  },
  {
    id: 'vscode',
    label: 'VS Code',
    hint: 'VS Code: .vscode/mcp.json in your workspace, or your user mcp.json.',
  },
  {
    id: 'claude-code',
    label: 'Claude Code command',
    hint: 'Run in a terminal; adds the server to Claude Code.',
  },
];

/** A configuration ready to paste: the endpoint and the `Authorization: Bearer` header. */
export function mcpConfig(format: ConfigFormat, endpoint: string, key: string): string {
  const authorization = `Bearer ${key}`;
  const server = { url: endpoint, headers: { Authorization: authorization } };
  switch (format) {
    case 'mcpServers':
      return JSON.stringify({ mcpServers: { [SERVER_NAME]: server } }, null, 2);
    case 'vscode':
      return JSON.stringify({ servers: { [SERVER_NAME]: { type: 'http', ...server } } }, null, 2);
    case 'claude-code':
      return `claude mcp add --transport http ${SERVER_NAME} ${endpoint} --header "Authorization: ${authorization}"`;
  }
}
