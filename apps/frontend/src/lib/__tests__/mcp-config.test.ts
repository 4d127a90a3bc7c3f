import { describe, expect, it } from 'vitest';
import { toApiError } from '../api';
import { CONFIG_FORMATS, mcpConfig, mcpEndpoint } from '../mcp-config';
import { fieldError, withoutSecret } from '../use-mcp-keys';

const KEY = 'todo_mcp_secret123';

describe('MCP client configuration', () => {
  it('points at /api/mcp on the page’s own origin', () => {
    expect(mcpEndpoint('https://todo.example.com')).toBe('https://todo.example.com/api/mcp');
    expect(mcpEndpoint('http://192.168.49.2:30000/')).toBe('http://192.168.49.2:30000/api/mcp');
  });

  it('writes every format with the endpoint and the bearer header', () => {
    const url = 'https://todo.example.com/api/mcp';
    expect(JSON.parse(mcpConfig('mcpServers', url, KEY))).toEqual({
      mcpServers: { todo: { url, headers: { Authorization: `Bearer ${KEY}` } } },
    });
    expect(JSON.parse(mcpConfig('vscode', url, KEY))).toEqual({
      servers: { todo: { type: 'http', url, headers: { Authorization: `Bearer ${KEY}` } } },
    });
    expect(mcpConfig('claude-code', url, KEY)).toBe(
      `claude mcp add --transport http todo ${url} --header "Authorization: Bearer ${KEY}"`,
    );
    for (const { id } of CONFIG_FORMATS) expect(mcpConfig(id, url, KEY)).toContain(`Bearer ${KEY}`);
  });
});

describe('MCP key helpers', () => {
  it('keeps the field errors of a problem, and finds them by field', async () => {
    const res = new Response(
      JSON.stringify({
        status: 400,
        code: 'validation_error',
        detail: 'invalid body',
        errors: [
          { path: 'body.name', message: 'Too small' },
          { path: 'body.expiresInDays', message: 'Too big' },
          { path: 3, message: 'not a path' },
        ],
      }),
      { status: 400, headers: { 'content-type': 'application/problem+json' } },
    );
    const error = await toApiError(res);
    expect(error.errors).toEqual([
      { path: 'body.name', message: 'Too small' },
      { path: 'body.expiresInDays', message: 'Too big' },
    ]);
    expect(fieldError(error, 'name')).toBe('Too small');
    expect(fieldError(error, 'expiresInDays')).toBe('Too big');
    expect(fieldError(error, 'scope')).toBeUndefined();
    expect(fieldError(new Error('x'), 'name')).toBeUndefined();
  });

  it('drops the secret of a created key before it is listed', () => {
    const listed = withoutSecret({
      id: 'k',
      name: 'n',
      start: 'todo_mcp_se',
      scope: 'read',
      createdAt: '2026-01-01T00:00:00.000Z',
      expiresAt: null,
      lastUsedAt: null,
      key: KEY,
    });
    expect(listed).not.toHaveProperty('key');
    expect(JSON.stringify(listed)).not.toContain(KEY);
  });
});
