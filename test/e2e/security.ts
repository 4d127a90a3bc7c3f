// The browser suite's security checks (issue 13.4, 13.5), registered inside app.test.ts's describe
// so they share its deployment and its signed-up user.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { type Browser, expectBoardReady, firstPage, signIn, submitSignIn } from './browser.js';
import type { Deployment } from './harness.js';

interface Shared {
  app: () => Deployment;
  browser: Browser;
  /** A user that exists by the time these tests run. */
  user: () => { email: string };
}

/** A page on another origin (another loopback port) that frames `target`. */
async function framingPage(target: string) {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><title>not the app</title><h1>Win a prize</h1><iframe id="victim" src="${target}" width="900" height="600"></iframe>`,
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // the browser keeps its connection alive
      }),
  };
}

export function securityTests({ app, browser, user }: Shared) {
  it('sends a strict CSP with a fresh nonce on every page, and no framing, sniffing or full referrer', async () => {
    const nonces = new Set<string>();
    for (const path of ['/sign-in', '/sign-up', '/sign-in']) {
      const res = await fetch(`${app().baseUrl}${path}`);
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      const nonce = /script-src 'self' 'nonce-([^']+)'(?:;|$)/.exec(csp)?.[1];
      expect(nonce, csp).toBeDefined();
      nonces.add(nonce as string);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      // every script of the page carries this response's nonce
      const scripts = (await res.text()).match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(3);
    const probe = await fetch(`${app().baseUrl}/api/healthz`);
    expect(probe.headers.get('x-content-type-options')).toBe('nosniff');
    expect(probe.headers.get('x-frame-options')).toBe('DENY');
  });

  it('cannot be framed by a page on another origin, signed in or not', async () => {
    // The blocked frame is a CSP violation on purpose: this context is not watched for them.
    const context = await browser.newContext({ watchCsp: false });
    const page = await firstPage(context);
    await signIn(page, app().baseUrl, user().email);
    const framer = await framingPage(`${app().baseUrl}/`);
    try {
      await page.goto(framer.url);
      await page.getByRole('heading', { name: 'Win a prize' }).waitFor();
      await expect.poll(() => page.frames().length).toBe(2);
      const frame = page.frames().find((f) => f !== page.mainFrame());
      await frame?.waitForLoadState('load');
      // Chromium refuses to show the app in the frame (it shows its own error page instead)
      expect(frame?.url().startsWith(app().baseUrl)).toBe(false);
      const shown = await frame?.evaluate(() => document.body?.textContent ?? '').catch(() => '');
      expect(shown).not.toMatch(/Tasks|Todo Assistant|Sign in/);
      // the same browser still shows the board at its own address
      await page.goto(`${app().baseUrl}/`);
      await expectBoardReady(page);
    } finally {
      await framer.close();
    }
  });

  it('follows next= after sign-in only to a path on its own origin', async () => {
    const context = await browser.newContext();
    // were the browser sent there, it would get a page (nothing leaves this machine)
    await context.route(
      (url) => url.hostname === 'evil.example',
      (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>phished</h1>' }),
    );
    const page = await firstPage(context);
    const origin = new URL(app().baseUrl).origin;

    // `/\t/evil.example/phish`: the browser drops the tab and reads `//evil.example/phish`
    await page.goto(`${origin}/sign-in?next=%2F%09%2Fevil.example%2Fphish`);
    await submitSignIn(page, user().email);
    await page.waitForURL((url) => url.pathname === '/' || url.hostname === 'evil.example');
    expect(new URL(page.url()).origin).toBe(origin);
    await expectBoardReady(page);

    for (const hostile of ['%2F%5Cevil.example', '%2F%2Fevil.example', 'https%3A%2F%2Fevil.example%2F']) {
      await page.goto(`${origin}/sign-in?next=${hostile}`);
      await submitSignIn(page, user().email);
      await page.waitForURL((url) => url.pathname === '/' || url.hostname === 'evil.example');
      expect(new URL(page.url()).origin, hostile).toBe(origin);
    }

    // a path on this origin is still followed
    await page.goto(`${origin}/sign-in?next=${encodeURIComponent('/?from=sign-in')}`);
    await submitSignIn(page, user().email);
    await page.waitForURL(`${origin}/?from=sign-in`);
    await expectBoardReady(page);
  });
}
