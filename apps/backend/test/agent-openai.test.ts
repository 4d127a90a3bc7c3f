import { TASK_TOOL_NAMES } from '@todo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectModel } from '../src/agent/models.js';
import { loadConfig } from '../src/config.js';
import { createTestApp, parseSse, type TestApp } from './helpers/app.js';
import { describeEachDb } from './helpers/db.js';
import { type ChatRequest, type Reply, startFakeOpenAI } from './helpers/fake-openai.js';

const lastToolResult = (req: ChatRequest) => {
  const last = req.messages.at(-1);
  return last?.role === 'tool' ? JSON.parse(String(last.content)) : undefined;
};

describe('model selection', () => {
  it('picks offline, OpenAI or a compatible server from the environment', () => {
    expect(selectModel(loadConfig({})).mode).toBe('offline');
    expect(selectModel(loadConfig({ OPENAI_API_KEY: 'sk-test' }))).toMatchObject({
      mode: 'openai',
      name: 'gpt-4.1-mini',
    });
    expect(
      selectModel(loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1', OPENAI_MODEL: 'llama3.2' })),
    ).toMatchObject({ mode: 'compatible', name: 'llama3.2' });
  });
});

describeEachDb('agent loop against a fake OpenAI-compatible server', (variant) => {
  let t: TestApp;
  let fake: Awaited<ReturnType<typeof startFakeOpenAI>>;
  let script: (req: ChatRequest, n: number) => Reply = () => ({ text: 'hi' });

  beforeAll(async () => {
    fake = await startFakeOpenAI((req, n) => script(req, n));
    const config = loadConfig({
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_MODEL: 'fake-model',
      MODEL_TIMEOUT_MS: '5000',
    });
    t = await createTestApp(variant, { model: selectModel(config) });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('runs SDK → MCP tools → database and streams the events', async () => {
    const { token } = await t.signUp();
    fake.requests.length = 0;
    script = (req) => {
      const result = lastToolResult(req);
      if (!result) return { tool: 'add_task', args: { title: 'Buy milk', priority: 'high' } };
      if (result.task && req.messages.filter((m) => m.role === 'tool').length === 1) {
        return { tool: 'complete_task', args: { id: result.task.id } };
      }
      return { text: `Done: ${result.summary}.` };
    };
    const res = await t.chat(token, { message: 'add buy milk and tick it off' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/event-stream');
    expect(res.headers['cache-control']).toBe('no-cache, no-transform');
    const events = parseSse(res.body);
    const kinds = events.map((e) => e.event).filter((e, i, all) => !(e === 'text-delta' && all[i - 1] === e));
    expect(kinds).toEqual([
      'conversation',
      'tool-call',
      'tool-result',
      'tool-call',
      'tool-result',
      'text-delta',
      'done',
    ]);
    const text = events
      .filter((e) => e.event === 'text-delta')
      .map((e) => e.data.delta)
      .join('');
    expect(text).toBe('Done: Completed “Buy milk”.');
    expect(events[1]?.data).toMatchObject({
      name: 'add_task',
      arguments: { title: 'Buy milk', priority: 'high' },
    });
    expect(events[2]?.data).toMatchObject({ name: 'add_task', ok: true, summary: 'Added task “Buy milk”' });
    expect(events[4]?.data).toMatchObject({
      name: 'complete_task',
      ok: true,
      summary: 'Completed “Buy milk”',
    });
    expect(events.at(-1)?.data).toMatchObject({ tasksChanged: true });

    // the tools the model was offered are exactly the MCP server's tools
    expect(fake.requests[0]?.tools?.map((x) => x.function.name).sort()).toEqual(TASK_TOOL_NAMES);
    expect(fake.requests).toHaveLength(3);

    // and the database has the task, completed
    const tasks = (await t.app.inject({ url: '/api/tasks', headers: t.auth(token) })).json().items;
    expect(tasks).toMatchObject([{ title: 'Buy milk', priority: 'high', completed: true }]);
  });

  it('reads the history from the database on the next turn', async () => {
    const { token } = await t.signUp();
    script = (req) =>
      lastToolResult(req) ? { text: 'Added.' } : { tool: 'add_task', args: { title: 'first' } };
    const first = parseSse((await t.chat(token, { message: 'add first' })).body);
    const conversationId = first[0]?.data.conversationId as string;
    fake.requests.length = 0;
    script = () => ({ text: 'You said: add first.' });
    await t.chat(token, { conversationId, message: 'what did I say?' });
    const msgs = fake.requests[0]?.messages ?? [];
    expect(msgs[0]?.role).toBe('system');
    expect(msgs.slice(1).map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user']);
    expect(msgs.at(-1)?.content).toBe('what did I say?');
  });

  it('turns a model failure into an error event, never a 500', async () => {
    const { token } = await t.signUp();
    script = () => ({ status: 500 });
    const res = await t.chat(token, { message: 'hello' });
    expect(res.statusCode).toBe(200);
    const events = parseSse(res.body);
    expect(events[0]?.event).toBe('conversation');
    expect(events.at(-1)).toMatchObject({ event: 'error', data: { code: 'model_error' } });
    expect(String(events.at(-1)?.data.message)).toMatch(/try again/);
  });

  it('stops a model that keeps calling tools after the turn limit', async () => {
    const { token } = await t.signUp();
    script = () => ({ tool: 'list_tasks', args: {} });
    const events = parseSse((await t.chat(token, { message: 'loop' })).body);
    expect(events.at(-1)).toMatchObject({ event: 'error', data: { code: 'max_turns' } });
    expect(events.filter((e) => e.event === 'tool-call').length).toBeLessThanOrEqual(t.config.agentMaxTurns);
  });
});
