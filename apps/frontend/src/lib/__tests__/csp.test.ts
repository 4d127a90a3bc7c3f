import { describe, expect, it } from 'vitest';
import { CHATKIT_ORIGIN, contentSecurityPolicy, newNonce, SECURITY_HEADERS } from '../server/csp';

const directives = (policy: string) =>
  Object.fromEntries(
    policy.split('; ').map((d) => {
      const [name = '', ...sources] = d.split(' ');
      return [name, sources];
    }),
  );

describe('the pages’ Content-Security-Policy', () => {
  it('allows scripts and styles only from this origin with this response’s nonce, and no framing', () => {
    const policy = directives(contentSecurityPolicy({ nonce: 'abc', chatkit: false, dev: false }));
    expect(policy['script-src']).toEqual(["'self'", "'nonce-abc'"]);
    expect(policy['style-src']).toEqual(["'self'", "'nonce-abc'"]);
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
    expect(policy['frame-src']).toEqual(["'none'"]);
    expect(policy['object-src']).toEqual(["'none'"]);
    expect(policy['base-uri']).toEqual(["'none'"]);
    expect(policy['connect-src']).toEqual(["'self'"]);
    const all = Object.values(policy).flat();
    expect(all).not.toContain("'unsafe-inline'");
    expect(all).not.toContain("'unsafe-eval'");
    expect(all.some((source) => source.includes('openai'))).toBe(false);
  });

  it('adds exactly OpenAI’s CDN for the script and frame of ChatKit mode, nothing else', () => {
    const plain = directives(contentSecurityPolicy({ nonce: 'n', chatkit: false, dev: false }));
    const chatkit = directives(contentSecurityPolicy({ nonce: 'n', chatkit: true, dev: false }));
    expect(chatkit['script-src']).toEqual([...(plain['script-src'] ?? []), CHATKIT_ORIGIN]);
    expect(chatkit['frame-src']).toEqual([CHATKIT_ORIGIN]);
    for (const name of Object.keys(plain))
      if (name !== 'script-src' && name !== 'frame-src') expect(chatkit[name], name).toEqual(plain[name]);
  });

  it('relaxes only what `next dev` needs in development', () => {
    const policy = directives(contentSecurityPolicy({ nonce: 'n', chatkit: false, dev: true }));
    expect(policy['script-src']).toContain("'unsafe-eval'");
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
  });

  it('uses a fresh 128-bit nonce each time', () => {
    const nonces = new Set(Array.from({ length: 50 }, newNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(atob(nonce)).toHaveLength(16);
  });

  it('sends no framing, no sniffing and a strict referrer policy on every response', () => {
    expect(Object.fromEntries(SECURITY_HEADERS.map((h) => [h.key, h.value]))).toEqual({
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
    });
  });
});
