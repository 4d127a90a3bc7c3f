import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { TASK_TOOL_NAMES } from '@todo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectModel } from '../src/agent/models.js';
import { loadConfig } from '../src/config.js';
import { createTestApp, parseSse, type TestApp } from './helpers/app.js';
import { describeEachDb } from './helpers/db.js';
import { startFakeOpenAI } from './helpers/fake-openai.js';

describeEachDb('over real HTTP', (variant) => {
  let t: TestApp;
  let base: string;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp(variant);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    token = (await t.signUp()).token;
  });
  afterAll(async () => t?.close());

  const chat = async (message: string, conversationId?: string) => {
    const res = await fetch(`${base}/api/chat`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message, ...(conversationId ? { conversationId } : {}) }),
    });
    expect(res.status).toBe(200);
    const events = parseSse(await res.text());
    const text = events
      .filter((e) => e.event === 'text-delta')
      .map((e) => e.data.delta)
      .join('');
    return { events, text, conversationId: events[0]?.data.conversationId as string };
  };

  it('the offline assistant keeps context across turns (numbers, titles, "it")', async () => {
    const first = await chat('add buy milk');
    expect(first.text).toBe('Added “buy milk”.');
    const id = first.conversationId;
    await chat('add call mom tomorrow with high priority', id);
    const list = await chat('show my tasks', id);
    expect(list.text).toMatch(
      /^You have 2 tasks:\n1\. call mom \(high priority, due tomorrow\)\n2\. buy milk$/,
    );
    const done = await chat('complete 2', id);
    expect(done.text).toBe('Marked “buy milk” as done. Nice work!');
    expect(done.events.at(-1)).toMatchObject({ event: 'done', data: { tasksChanged: true } });
    const renamed = await chat('rename call mom to call dad', id);
    expect(renamed.events.filter((e) => e.event === 'tool-call').map((e) => e.data.name)).toEqual([
      'list_tasks',
      'update_task',
    ]);
    expect(renamed.text).toBe('Renamed it to “call dad”.');
    expect((await chat('make it low priority', id)).text).toBe('“call dad” is now low priority.');
    expect((await chat('delete buy mlik', id)).text).toBe('Deleted “buy milk”.');
    const tasks = (await (
      await fetch(`${base}/api/tasks`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { items: unknown[] };
    expect(tasks.items).toMatchObject([{ title: 'call dad', priority: 'low', completed: false }]);
    const msgs = (await (
      await fetch(`${base}/api/conversations/${id}/messages`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { items: unknown[] };
    expect(msgs.items).toHaveLength(14);
  });

  it('an MCP client with an MCP key uses the tools over Streamable HTTP', async () => {
    const key = await t.mcpKey(token);
    expect(key).toMatch(/^todo_mcp_/);
    const transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    });
    const client = new Client({ name: 'test-client', version: '1.0.0' });
    await client.connect(transport);
    const { tools } = await client.listTools();
    expect(tools.map((x) => x.name).sort()).toEqual(TASK_TOOL_NAMES);
    const add = tools.find((x) => x.name === 'add_task');
    expect(add?.inputSchema.required).toEqual(['title']);
    const added = await client.callTool({
      name: 'add_task',
      arguments: { title: 'from MCP', tags: ['mcp'] },
    });
    const out = JSON.parse((added.content as { text: string }[])[0]?.text ?? '{}');
    expect(out).toMatchObject({
      ok: true,
      summary: 'Added task “from MCP”',
      task: { title: 'from MCP', tags: ['mcp'] },
    });
    const listed = await client.callTool({ name: 'list_tasks', arguments: { tag: 'mcp' } });
    expect(listed.structuredContent).toMatchObject({
      ok: true,
      count: 1,
      tasks: [{ n: 1, title: 'from MCP' }],
    });
    const completed = await client.callTool({ name: 'complete_task', arguments: { id: out.task.id } });
    expect(completed.isError).toBeFalsy();
    const deleted = await client.callTool({ name: 'delete_task', arguments: { id: out.task.id } });
    expect(deleted.structuredContent).toMatchObject({ ok: true, summary: 'Deleted “from MCP”' });
    await client.close();
  });

  it('streams and MCP answers carry the same security headers as every other answer', async () => {
    const plain = await fetch(`${base}/health`);
    const stream = await fetch(`${base}/api/chat`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'hello' }),
    });
    await stream.text();
    const key = await t.mcpKey(token);
    const mcp = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    await mcp.text();
    for (const name of [
      'content-security-policy',
      'x-content-type-options',
      'x-frame-options',
      'referrer-policy',
    ]) {
      expect(plain.headers.get(name), name).toBeTruthy();
      expect(stream.headers.get(name), `chat stream: ${name}`).toBe(plain.headers.get(name));
      expect(mcp.headers.get(name), `mcp: ${name}`).toBe(plain.headers.get(name));
    }
    expect(stream.headers.get('x-request-id')).toBeTruthy();
    expect(mcp.headers.get('x-request-id')).toBeTruthy();
  });

  it('gives the API reference page a CSP that allows exactly its own scripts', async () => {
    const res = await fetch(`${base}/docs/`);
    const html = await res.text();
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline'; script");
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(html).toContain('<script');
  });

  it('answers a malformed Host header on the auth routes with a 4xx, not a 500', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}/api/auth/get-session`, { headers: { host: 'exa mple:99999' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBeLessThan(500);
  });

  it('pages a conversation’s messages, newest page first', async () => {
    let id: string | undefined;
    for (let i = 0; i < 3; i++) id = (await chat(`add paging ${i}`, id)).conversationId;
    const page = async (query: string) =>
      (await (
        await fetch(`${base}/api/conversations/${id}/messages?${query}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as { items: { content: string }[]; nextBefore: string | null };
    const newest = await page('limit=4');
    expect(newest.items.map((m) => m.content)).toEqual([
      'add paging 1',
      expect.stringContaining('paging 1'),
      'add paging 2',
      expect.stringContaining('paging 2'),
    ]);
    const older = await page(`limit=4&before=${newest.nextBefore}`);
    expect(older.items.map((m) => m.content)).toEqual(['add paging 0', expect.stringContaining('paging 0')]);
    expect(older.nextBefore).toBeNull();
  });

  it('an MCP client without a valid token is refused', async () => {
    const transport = new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
      requestInit: { headers: { authorization: 'Bearer forged.token' } },
    });
    const client = new Client({ name: 'intruder', version: '1.0.0' });
    await expect(client.connect(transport)).rejects.toThrow();
  });
});

describe('server-sent events are streamed, not buffered', () => {
  it('the first event arrives before the turn ends', async () => {
    const fake = await startFakeOpenAI(() => ({ text: 'slow answer' }), 700);
    const { pgliteVariant } = await import('./helpers/pglite.js');
    const t = await createTestApp(pgliteVariant, {
      model: selectModel(loadConfig({ OPENAI_BASE_URL: fake.baseURL })),
    });
    try {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
      const { token } = await t.signUp();
      const started = Date.now();
      const res = await fetch(`${base}/api/chat`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'hello' }),
      });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const first = await reader.read();
      const firstAt = Date.now() - started;
      const firstText = new TextDecoder().decode(first.value);
      expect(firstText).toContain('event: conversation');
      expect(firstText).not.toContain('event: done');
      let rest = '';
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        rest += new TextDecoder().decode(chunk.value);
      }
      expect(rest).toContain('event: done');
      // the model answers after 700 ms; the conversation event came well before that
      expect(Date.now() - started - firstAt).toBeGreaterThan(300);
    } finally {
      await t.close();
      await fake.close();
    }
  });
});
