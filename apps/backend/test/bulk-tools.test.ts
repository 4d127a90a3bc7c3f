import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { describeEachDb } from './helpers/db.js';

// The bulk MCP tools as any MCP client uses them: complete_tasks acts at once and reports what it
// changed; delete_tasks previews, deletes only with the preview's fingerprint, and previews again
// when the matching set changed in between.

describeEachDb('bulk task tools over MCP', (variant) => {
  let t: TestApp;
  let token: string;
  let key: string;
  const call = async (name: string, args: Record<string, unknown>) => {
    const res = await t.callTool(key, name, args);
    return JSON.parse(res.json().result.content[0].text);
  };
  const titles = async () =>
    (await t.app.inject({ url: '/api/tasks?limit=100', headers: t.auth(token) }))
      .json()
      .items.map((x: { title: string; completed: boolean }) => `${x.title}${x.completed ? ' ✓' : ''}`)
      .sort();

  beforeAll(async () => {
    t = await createTestApp(variant);
    token = (await t.signUp()).token;
    key = await t.mcpKey(token);
    for (const title of ['a', 'b', 'c']) await call('add_task', { title, tags: title === 'c' ? ['x'] : [] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('complete_tasks completes the matching open tasks and can be undone by ids', async () => {
    const done = await call('complete_tasks', { tag: 'x' });
    expect(done).toMatchObject({ ok: true, changed: true, count: 1, more: false, tasks: [{ title: 'c' }] });
    expect(await titles()).toEqual(['a', 'b', 'c ✓']);
    const again = await call('complete_tasks', { completed: true, tag: 'x' });
    expect(again).toMatchObject({ count: 0, changed: false });
    const undone = await call('complete_tasks', { completed: false, ids: [done.tasks[0].id] });
    expect(undone).toMatchObject({ count: 1, summary: 'Reopened 1 task' });
    expect(await titles()).toEqual(['a', 'b', 'c']);
  });

  it('delete_tasks deletes nothing without the preview fingerprint', async () => {
    await call('complete_tasks', {});
    const preview = await call('delete_tasks', { status: 'done' });
    expect(preview).toMatchObject({ ok: true, changed: false, pending: true, count: 3 });
    expect(preview.confirm).toMatch(/^[\w-]{16}$/);
    expect(await call('delete_tasks', { status: 'done', confirm: 'not-it' })).toMatchObject({
      pending: true,
      stale: true,
    });
    expect(await titles()).toHaveLength(3);
    // the set changes between preview and confirmation: a new preview, nothing deleted
    await call('reopen_task', { id: preview.tasks[0].id });
    const stale = await call('delete_tasks', { status: 'done', confirm: preview.confirm });
    expect(stale).toMatchObject({ pending: true, stale: true, count: 2 });
    expect(await titles()).toHaveLength(3);
    const deleted = await call('delete_tasks', { status: 'done', confirm: stale.confirm });
    expect(deleted).toMatchObject({ ok: true, changed: true, count: 2 });
    expect(await titles()).toEqual(['a']);
    expect(await call('delete_tasks', { status: 'done' })).toMatchObject({
      count: 0,
      summary: 'No matching tasks',
    });
  });

  it('delete_tasks requires an explicit scope', async () => {
    const res = await t.callTool(key, 'delete_tasks', {});
    expect(res.json().result.isError).toBe(true);
    expect(await titles()).toEqual(['a']);
  });
});
