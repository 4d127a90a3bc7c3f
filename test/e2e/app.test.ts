// Browser end-to-end: Debian's chromium driven by playwright-core against the running apps.
// sign up → add a task on the board → ask the chat "add buy milk tomorrow" → both tasks visible →
// complete one through the chat → board shows it done → sign out → a second user sees none of it;
// sign-in under another host name (127.0.0.1 ↔ localhost) through the proxy; screenshots in light and dark.
// E2E_BASE_URL=http://127.0.0.1:PORT runs it against any deployment (see harness.ts);
// E2E_OTHER_ORIGIN names that deployment's other host name when it is not the loopback twin.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import axe from 'axe-core';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM_ARGS,
  chromiumStatus,
  type Deployment,
  deployment,
  givenBaseUrl,
  otherHostOrigin,
  SCREENSHOT_DIR,
} from './harness.js';

const browserStatus = chromiumStatus();
const required = process.env.CI === 'true' || process.env.REQUIRE_BROWSER === '1';
if (!browserStatus.ok) {
  if (required) throw new Error(`Browser suite: ${browserStatus.reason}; CI=true requires a browser.`);
  process.stderr.write(`\n  SKIPPED browser end-to-end suite: ${browserStatus.reason}\n\n`);
}

const PASSWORD = 'correct-horse-battery';
const users = {
  first: { name: 'Ada Lovelace', email: `ada-${randomUUID().slice(0, 8)}@example.com` },
  second: { name: 'Grace Hopper', email: `grace-${randomUUID().slice(0, 8)}@example.com` },
};

let app: Deployment;
const profiles: string[] = [];
const contexts: BrowserContext[] = [];

async function newContext(
  options: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } } = {},
) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-e2e-profile-'));
  profiles.push(profile);
  if (!browserStatus.ok) throw new Error(browserStatus.reason);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: browserStatus.path,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(20_000);
  contexts.push(context);
  return context;
}

async function firstPage(context: BrowserContext): Promise<Page> {
  return context.pages()[0] ?? (await context.newPage());
}

async function shot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), animations: 'disabled' });
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core in the page: no serious or critical WCAG 2.1 A/AA violation (labels, contrast, roles, …). */
async function expectAccessible(page: Page, label: string) {
  await page.addScriptTag({ content: axe.source });
  const violations = await page.evaluate(async () => {
    const runner = (
      window as unknown as {
        axe: { run: (ctx: Document, options: object) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await runner.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations;
  });
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${label}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious).toEqual([]);
}

async function signUp(page: Page, origin: string, user: { name: string; email: string }) {
  await page.goto(`${origin}/sign-up`);
  await page.getByLabel('Name').fill(user.name);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`${origin}/`);
  await expectBoardReady(page);
}

async function signIn(page: Page, origin: string, email: string) {
  await page.goto(`${origin}/`);
  await page.waitForURL(/\/sign-in/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${origin}/`);
  await expectBoardReady(page);
}

async function expectBoardReady(page: Page) {
  await page.getByRole('heading', { name: 'Tasks' }).waitFor();
  await page
    .locator('[aria-busy="true"]')
    .first()
    .waitFor({ state: 'detached', timeout: 20_000 })
    .catch(() => {});
}

const task = (page: Page, title: RegExp) => page.getByTestId('task-item').filter({ hasText: title });

async function askAssistant(page: Page, message: string) {
  const input = page.getByLabel('Message the assistant');
  await input.fill(message);
  await input.press('Enter');
  // the reply is done when the Send button is back
  await page.getByRole('button', { name: 'Send' }).waitFor({ timeout: 30_000 });
}

describe.skipIf(!browserStatus.ok)('browser end-to-end', () => {
  beforeAll(async () => {
    app = await deployment();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await app?.stop();
    for (const profile of profiles) fs.rmSync(profile, { recursive: true, force: true });
  });

  it('serves the probe route and redirects visitors without a session to sign-in', async () => {
    const health = await fetch(`${app.baseUrl}/api/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const home = await fetch(`${app.baseUrl}/`, { redirect: 'manual' });
    expect([302, 303, 307, 308]).toContain(home.status);
    expect(home.headers.get('location')).toMatch(/\/sign-in/);
    const unauthorized = await fetch(`${app.baseUrl}/api/tasks`);
    expect(unauthorized.status).toBe(401);
  });

  it('signs up, manages tasks from the board and the chat, and keeps users apart', async () => {
    const context = await newContext();
    const page = await firstPage(context);

    // sign-in page, light and dark
    await page.goto(`${app.baseUrl}/`);
    await page.waitForURL(/\/sign-in/);
    await page.getByRole('heading', { name: /Sign in/ }).waitFor();
    await shot(page, 'sign-in-light');
    await expectAccessible(page, 'sign-in (light)');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await page.getByRole('heading', { name: /Sign in/ }).waitFor();
    expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true);
    await shot(page, 'sign-in-dark');
    await expectAccessible(page, 'sign-in (dark)');
    await page.emulateMedia({ colorScheme: 'light' });

    // sign up (first user)
    await signUp(page, app.baseUrl, users.first);
    await page.getByText('No tasks yet').waitFor();

    // add a task on the board
    await page.getByLabel('New task title').fill('Write the quarterly report');
    await page.getByLabel('Priority', { exact: true }).selectOption('high');
    await page.getByLabel('Tags, comma separated').fill('work');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await task(page, /Write the quarterly report/).waitFor();
    await expect.poll(() => task(page, /Write the quarterly report/).getAttribute('aria-busy')).toBeNull();

    // ask the assistant to add another one
    await page.getByText('Ask me to manage your tasks.').waitFor();
    await askAssistant(page, 'add buy milk tomorrow');
    await page
      .getByTestId('tool-chip')
      .filter({ hasText: /buy milk/i })
      .first()
      .waitFor();
    await task(page, /buy milk/i).waitFor();

    // both tasks visible
    await expect.poll(() => page.getByTestId('task-item').count()).toBe(2);
    expect(await task(page, /buy milk/i).getAttribute('data-completed')).toBe('false');

    // complete one through the chat; the board shows it done
    await askAssistant(page, 'complete buy milk');
    await expect
      .poll(() => task(page, /buy milk/i).getAttribute('data-completed'), { timeout: 15_000 })
      .toBe('true');
    expect(
      await task(page, /buy milk/i)
        .getByRole('checkbox')
        .isChecked(),
    ).toBe(true);
    expect(await task(page, /Write the quarterly report/).getAttribute('data-completed')).toBe('false');

    // board + chat screenshots, light and dark
    await shot(page, 'board-light');
    await expectAccessible(page, 'board + chat (light)');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.classList.contains('dark')))
      .toBe(true);
    await shot(page, 'board-dark');
    await expectAccessible(page, 'board + chat (dark)');
    await page.emulateMedia({ colorScheme: 'light' });

    const firstUserTasks = await page.evaluate(async () => {
      const res = await fetch('/api/tasks?status=all');
      return ((await res.json()) as { items: { id: string; title: string }[] }).items;
    });
    expect(firstUserTasks).toHaveLength(2);

    // the chat on a phone: the assistant tab, with the conversation from history
    const phone = await newContext({ viewport: { width: 390, height: 844 } });
    const phonePage = await firstPage(phone);
    await phone.addCookies(await context.cookies());
    await phonePage.goto(`${app.baseUrl}/`);
    await expectBoardReady(phonePage);
    await phonePage.getByRole('button', { name: 'Assistant', exact: true }).click();
    await phonePage.getByRole('button', { name: 'History' }).click();
    await phonePage.getByRole('list', { name: 'Conversations' }).getByRole('button').first().click();
    await phonePage.getByTestId('tool-chip').first().waitFor();
    await shot(phonePage, 'chat-light');
    await phonePage.emulateMedia({ colorScheme: 'dark' });
    await expect
      .poll(() => phonePage.evaluate(() => document.documentElement.classList.contains('dark')))
      .toBe(true);
    await shot(phonePage, 'chat-dark');
    await expectAccessible(phonePage, 'chat on a phone (dark)');

    // sign out
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    const afterSignOut = await page.evaluate(async () => (await fetch('/api/tasks')).status);
    expect(afterSignOut).toBe(401);

    // a second user sees none of the first user's tasks
    const other = await newContext();
    const otherPage = await firstPage(other);
    await signUp(otherPage, app.baseUrl, users.second);
    await otherPage.getByText('No tasks yet').waitFor();
    expect(await otherPage.getByTestId('task-item').count()).toBe(0);
    const probe = await otherPage.evaluate(
      async (ids) => {
        const list = await (await fetch('/api/tasks?status=all')).json();
        const direct = await Promise.all(ids.map(async (id) => (await fetch(`/api/tasks/${id}`)).status));
        return { count: (list as { items: unknown[] }).items.length, direct };
      },
      firstUserTasks.map((t) => t.id),
    );
    expect(probe.count).toBe(0);
    for (const status of probe.direct) expect(status).toBe(404);
  });

  it('signs in through the proxy under another host name', async (ctx) => {
    const origin = otherHostOrigin(app.baseUrl);
    if (!origin) ctx.skip();
    const context = await newContext();
    const page = await firstPage(context);
    await signIn(page, origin as string, users.first.email);
    await expect.poll(() => page.getByTestId('task-item').count()).toBe(2);
    // a wrong password is reported inline
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel('Email').fill(users.first.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.locator('form [role="alert"]').textContent())
      .toMatch(/invalid|incorrect|wrong/i);
  });

  // Only when this suite starts the backend itself: a deployment named by E2E_BASE_URL (the
  // container and cluster suites run this file against theirs) is not ours to stop, and those
  // suites test their own failure modes. Not registered there, rather than reported as skipped.
  if (!givenBaseUrl()) {
    it('tells the user clearly when the backend is down', async () => {
      expect(app.backend, 'the harness started no backend').toBeDefined();
      const context = await newContext();
      const page = await firstPage(context);
      await signIn(page, app.baseUrl, users.second.email);
      await app.backend?.stop();
      const api = await fetch(`${app.baseUrl}/api/tasks`);
      expect(api.status).toBe(502);
      expect(api.headers.get('content-type')).toContain('application/problem+json');
      expect(await api.json()).toMatchObject({ status: 502, code: 'backend_unavailable' });
      await page.goto(`${app.baseUrl}/`);
      await page.getByRole('heading', { name: /can’t reach the server/ }).waitFor();
    });
  }
});
