// The browser side of the end-to-end suite: Debian's chromium through playwright-core, one
// persistent profile per context, and what every page is checked for (accessibility with
// axe-core, and no Content-Security-Policy violation anywhere in the suite).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import axe from 'axe-core';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { type BrowserStatus, CHROMIUM_ARGS, chromiumStatus, SCREENSHOT_DIR } from './harness.js';

export const PASSWORD = 'correct-horse-battery';

export interface ContextOptions {
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  /** Record CSP violations of this context's pages (off only where a test provokes one on purpose). */
  watchCsp?: boolean;
}

/** Marker the init script prints for every `securitypolicyviolation` event. */
const CSP_MARKER = 'csp-violation:';

export interface Browser {
  status: BrowserStatus;
  newContext(options?: ContextOptions): Promise<BrowserContext>;
  /** Every CSP violation a watched page reported so far, with the page it happened on. */
  cspViolations: string[];
  closeAll(): Promise<void>;
}

export function browser(): Browser {
  const status = chromiumStatus();
  const profiles: string[] = [];
  const contexts: BrowserContext[] = [];
  const cspViolations: string[] = [];

  async function newContext(options: ContextOptions = {}): Promise<BrowserContext> {
    if (!status.ok) throw new Error(status.reason);
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'todo-e2e-profile-'));
    profiles.push(profile);
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: status.path,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: options.viewport ?? { width: 1280, height: 800 },
      colorScheme: options.colorScheme ?? 'light',
      locale: 'en-US',
      timezoneId: 'UTC',
    });
    context.setDefaultTimeout(20_000);
    contexts.push(context);
    if (options.watchCsp !== false) {
      // Chromium logs every violation to the console; the event also catches any it would not.
      await context.addInitScript((marker: string) => {
        document.addEventListener('securitypolicyviolation', (e) =>
          console.error(`${marker} ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`),
        );
      }, CSP_MARKER);
      context.on('console', (message) => {
        const text = message.text();
        if (text.includes(CSP_MARKER) || /Content Security Policy/i.test(text))
          cspViolations.push(`${message.page()?.url() ?? '?'}: ${text}`);
      });
    }
    return context;
  }

  return {
    status,
    newContext,
    cspViolations,
    closeAll: async () => {
      for (const context of contexts) await context.close().catch(() => {});
      for (const profile of profiles) fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function firstPage(context: BrowserContext): Promise<Page> {
  return context.pages()[0] ?? (await context.newPage());
}

export async function shot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), animations: 'disabled' });
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core in the page: no serious or critical WCAG 2.1 A/AA violation (labels, contrast, roles, …).
 * Evaluated through the DevTools protocol rather than added as a <script>: the page's CSP
 * (rightly) refuses an inline script without its nonce.
 */
export async function expectAccessible(page: Page, label: string) {
  await page.evaluate(axe.source);
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

export async function expectBoardReady(page: Page) {
  await page.getByRole('heading', { name: 'Tasks' }).waitFor();
  await page
    .locator('[aria-busy="true"]')
    .first()
    .waitFor({ state: 'detached', timeout: 20_000 })
    .catch(() => {});
}

export async function signUp(page: Page, origin: string, user: { name: string; email: string }) {
  await page.goto(`${origin}/sign-up`);
  await page.getByLabel('Name').fill(user.name);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`${origin}/`);
  await expectBoardReady(page);
}

/** Fills and sends the sign-in form of the page the browser is on. */
export async function submitSignIn(page: Page, email: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signIn(page: Page, origin: string, email: string) {
  await page.goto(`${origin}/`);
  await page.waitForURL(/\/sign-in/);
  await submitSignIn(page, email);
  await page.waitForURL(`${origin}/`);
  await expectBoardReady(page);
}

export const task = (page: Page, title: RegExp) => page.getByTestId('task-item').filter({ hasText: title });

export async function askAssistant(page: Page, message: string) {
  const input = page.getByLabel('Message the assistant');
  await input.fill(message);
  await input.press('Enter');
  // the reply is done when the Send button is back
  await page.getByRole('button', { name: 'Send' }).waitFor({ timeout: 30_000 });
}
