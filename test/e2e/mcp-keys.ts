// The browser suite's MCP key check, registered inside app.test.ts's describe so it shares its
// deployment and its signed-up user: a key created in the "Connect an MCP client" dialog works
// against <origin>/api/mcp exactly as the configuration shown says (the MCP handshake, tools/list
// and a tool call over plain JSON-RPC, as a client sends them), a read-only key sees list_tasks
// only, and revoking the key in the dialog makes it stop working at once.
import { TASK_TOOL_NAMES } from '@todo/contracts';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { type Browser, expectAccessible, firstPage, shot, signIn } from './browser.js';
import type { Deployment } from './harness.js';

interface Shared {
  app: () => Deployment;
  browser: Browser;
  /** A user that exists by the time this test runs, with the board's two tasks. */
  user: () => { email: string };
}

interface RpcAnswer {
  status: number;
  body: { result?: Record<string, unknown>; error?: { code: number; message: string } } | null;
}

let rpcId = 0;

/** One JSON-RPC request as an MCP client sends it over Streamable HTTP. */
async function rpc(
  url: string,
  headers: Record<string, string>,
  method: string,
  params?: object,
): Promise<RpcAnswer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method, ...(params ? { params } : {}) }),
  });
  const text = await res.text();
  // a server may answer as a one-event stream instead of plain JSON
  const data = res.headers.get('content-type')?.includes('text/event-stream')
    ? (/^data: (.*)$/m.exec(text)?.[1] ?? '')
    : text;
  return { status: res.status, body: data ? JSON.parse(data) : null };
}

async function toolNames(url: string, headers: Record<string, string>): Promise<string[]> {
  const answer = await rpc(url, headers, 'tools/list');
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return ((answer.body?.result?.tools ?? []) as { name: string }[]).map((t) => t.name).sort();
}

const dialogOf = (page: Page) => page.getByRole('dialog', { name: 'Connect an MCP client' });

async function openDialog(page: Page) {
  await page.getByRole('button', { name: 'MCP clients' }).click();
  const dialog = dialogOf(page);
  await dialog.waitFor();
  await dialog.getByText('Loading your keys…').waitFor({ state: 'detached' });
  return dialog;
}

/** Creates a key in the dialog; answers the configuration it shows, parsed. */
async function createKey(page: Page, name: string, scope: 'write' | 'read') {
  const dialog = dialogOf(page);
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  if (scope === 'read') await dialog.getByRole('radio', { name: /Read only/ }).check();
  await dialog.getByRole('button', { name: 'Create key' }).click();
  const panel = dialog.getByRole('region', { name: `Your new key “${name}”` });
  await panel.waitFor();
  const key = await panel.getByLabel(/^MCP key/).inputValue();
  const config = JSON.parse(
    await panel.getByLabel('JSON (mcpServers) configuration to paste').inputValue(),
  ) as {
    mcpServers: { todo: { url: string; headers: { Authorization: string } } };
  };
  return { panel, key, server: config.mcpServers.todo };
}

export function mcpKeyTests({ app, browser, user }: Shared) {
  it('connects an MCP client with a key made in the dialog, until the key is revoked there', async () => {
    const origin = app().baseUrl;
    const context = await browser.newContext();
    const page = await firstPage(context);
    await signIn(page, origin, user().email);
    // plain http is a secure context on loopback only: a cluster's node address has no Clipboard API
    const secure = await page.evaluate(() => window.isSecureContext);
    if (secure) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });

    const dialog = await openDialog(page);
    await expect
      .poll(() => dialog.getByLabel('Server URL (Streamable HTTP)').inputValue())
      .toBe(`${origin}/api/mcp`);
    const { panel, key, server } = await createKey(page, 'E2E laptop', 'write');
    expect(key).toMatch(/^todo_mcp_/);
    expect(server).toEqual({ url: `${origin}/api/mcp`, headers: { Authorization: `Bearer ${key}` } });
    await panel.getByRole('button', { name: 'Copy key' }).click();
    if (secure) {
      await panel.getByText('Key copied to the clipboard.').waitFor({ state: 'attached' });
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    } else {
      // the fallback: the key is selected for the copy command (or for Ctrl+C), and the page says which
      await panel
        .getByText(/^Key (copied to the clipboard|could not be copied automatically)/)
        .waitFor({ state: 'attached' });
      const selected = await page.evaluate(() => {
        const a = document.activeElement;
        if (a instanceof HTMLInputElement || a instanceof HTMLTextAreaElement)
          return a.value.slice(a.selectionStart ?? 0, a.selectionEnd ?? 0);
        return window.getSelection()?.toString() ?? '';
      });
      expect(selected.trim()).toBe(key);
    }

    await shot(page, 'mcp-keys-light');
    await expectAccessible(page, 'MCP keys dialog (light)');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.classList.contains('dark')))
      .toBe(true);
    await shot(page, 'mcp-keys-dark');
    await expectAccessible(page, 'MCP keys dialog (dark)');
    await page.emulateMedia({ colorScheme: 'light' });

    // the configuration works as pasted: handshake, every task tool, and a call that sees this user's tasks
    const headers = server.headers;
    const hello = await rpc(server.url, headers, 'initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'e2e-client', version: '1.0.0' },
    });
    expect(hello.status, JSON.stringify(hello.body)).toBe(200);
    expect(hello.body?.result?.serverInfo).toMatchObject({ name: 'todo-tasks' });
    expect(await toolNames(server.url, headers)).toEqual(TASK_TOOL_NAMES);
    const listed = await rpc(server.url, headers, 'tools/call', { name: 'list_tasks', arguments: {} });
    const listedTasks =
      (listed.body?.result?.structuredContent as { tasks?: { title: string }[] })?.tasks ?? [];
    expect(listedTasks.map((t) => t.title)).toContain('Write the quarterly report');

    // shown once: after Done the key is nowhere on the page, and the list tells when it was last used
    await panel.getByRole('button', { name: 'Done, I have stored it' }).click();
    await panel.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(key);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    await openDialog(page);
    const laptop = dialog
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'E2E laptop' }) });
    await expect.poll(() => laptop.textContent()).not.toMatch(/Last used\s*Never/);
    expect(await laptop.textContent()).toContain('Read and change');
    await shot(page, 'mcp-keys-list-light');

    // a read-only key sees list_tasks and nothing else
    const readOnly = await createKey(page, 'E2E read-only', 'read');
    expect(await toolNames(readOnly.server.url, readOnly.server.headers)).toEqual(['list_tasks']);
    await readOnly.panel.getByRole('button', { name: 'Done, I have stored it' }).click();

    // revoking in the dialog: asked first, then the key stops working at once; the other one keeps working
    await laptop.getByRole('button', { name: 'Revoke “E2E laptop”' }).click();
    await laptop.getByRole('button', { name: 'Revoke key' }).click();
    await laptop.waitFor({ state: 'detached' });
    await dialog.getByText('Revoked “E2E laptop”.').waitFor({ state: 'attached' });
    const refused = await rpc(server.url, headers, 'tools/list');
    expect(refused.status).toBe(401);
    expect(refused.body?.error?.code).toBe(-32001);
    expect(await toolNames(readOnly.server.url, readOnly.server.headers)).toEqual(['list_tasks']);

    // Escape closes the dialog and gives the focus back to the button that opened it
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('MCP clients');
  });
}
