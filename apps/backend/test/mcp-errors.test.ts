// The MCP edge: a tool failure that is not one of the domain's refusals reaches the client as a
// generic tool error (the model can read it) and the caller's log, never with its own message,
// which may carry SQL text or ids.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../src/domain/errors.js';
import type { TaskService } from '../src/domain/tasks.js';
import { createMcpServer } from '../src/mcp/server.js';

async function connect(tasks: Partial<TaskService>, onError: (err: unknown) => void) {
  const server = createMcpServer({ userId: 'u1', tasks: tasks as TaskService, onError });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(b);
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(a);
  return client;
}

const textOf = (r: Awaited<ReturnType<Client['callTool']>>) =>
  (r.content as { text: string }[])[0]?.text ?? '';

describe('MCP tool errors', () => {
  it('answers an unexpected failure generically and logs it', async () => {
    const logged: unknown[] = [];
    const leak = new Error(
      'insert into "tasks" ("user_id") values ($1) -- user 3mMcIapHIRe7 invalid byte 0x00',
    );
    const client = await connect({ create: async () => Promise.reject(leak) }, (err) => logged.push(err));
    const r = await client.callTool({ name: 'add_task', arguments: { title: 'x' } });
    expect(r.isError).toBe(true);
    expect(JSON.parse(textOf(r))).toEqual({
      ok: false,
      error: 'internal_error',
      summary: 'The tool failed; nothing was changed.',
    });
    expect(textOf(r)).not.toContain('insert');
    expect(logged).toEqual([leak]);
    await client.close();
  });

  it("keeps a domain refusal's code and says which task is missing in plain words", async () => {
    const logged: unknown[] = [];
    const client = await connect({ remove: async () => Promise.reject(new NotFoundError('task')) }, (err) =>
      logged.push(err),
    );
    const r = await client.callTool({
      name: 'delete_task',
      arguments: { id: '00000000-0000-4000-8000-000000000000' },
    });
    expect(JSON.parse(textOf(r))).toEqual({ ok: false, error: 'not_found', summary: 'No such task' });
    expect(logged).toEqual([]);
    await client.close();
  });
});
