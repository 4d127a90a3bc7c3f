import { describe, expect, it } from 'vitest';
import { normaliseIp, type RequestLike, resolveClient, rewriteForwarding } from '../client-address.ts';
import { shutdownDelayMs, trustedProxyHops } from '../settings.ts';

const from = (
  remoteAddress: string,
  headers: RequestLike['headers'] = {},
  encrypted = false,
): RequestLike => ({
  headers: { host: 'todo.example', ...headers },
  socket: { remoteAddress, encrypted },
});

describe('the client address (TRUSTED_PROXY_HOPS)', () => {
  it.each([
    // hops = 0: nobody in front (NodePort); whatever the client claims, the socket decides
    [0, '127.0.0.1', undefined, '127.0.0.1'],
    [0, '127.0.0.1', '203.0.113.7', '127.0.0.1'],
    [0, '10.244.0.1', '203.0.113.7, 198.51.100.4', '10.244.0.1'],
    [0, '::ffff:10.1.2.3', '203.0.113.7', '10.1.2.3'],
    // hops = 1: an ingress appended the address it saw; what the client sent before it is ignored
    [1, '10.244.0.9', '198.51.100.4', '198.51.100.4'],
    [1, '10.244.0.9', '203.0.113.66, 198.51.100.4', '198.51.100.4'],
    [1, '10.244.0.9', ['203.0.113.66', '198.51.100.4'], '198.51.100.4'],
    [1, '10.244.0.9', '198.51.100.4:51234', '198.51.100.4'],
    [1, '10.244.0.9', '[2001:DB8::1]:443', '2001:db8::1'],
    [1, '10.244.0.9', undefined, '10.244.0.9'],
    [1, '10.244.0.9', 'not-an-address', '10.244.0.9'],
    // hops = 2: a load balancer, then the ingress
    [2, '10.244.0.9', '203.0.113.66, 198.51.100.4, 10.0.0.2', '198.51.100.4'],
    [2, '10.244.0.9', '198.51.100.4', '198.51.100.4'],
  ])('hops=%i, socket %s, X-Forwarded-For %j → %s', (hops, socket, xff, expected) => {
    const headers = xff === undefined ? {} : { 'x-forwarded-for': xff };
    expect(resolveClient(from(socket, headers), hops).ip).toBe(expected);
  });

  it('reads the scheme from the socket, or from X-Forwarded-Proto only when a proxy is trusted', () => {
    expect(resolveClient(from('127.0.0.1', { 'x-forwarded-proto': 'https' }), 0).proto).toBe('http');
    expect(resolveClient(from('127.0.0.1', {}, true), 0).proto).toBe('https');
    expect(resolveClient(from('10.0.0.9', { 'x-forwarded-proto': 'https' }), 1).proto).toBe('https');
    expect(resolveClient(from('10.0.0.9', { 'x-forwarded-proto': 'https, http' }), 1).proto).toBe('http');
    expect(resolveClient(from('10.0.0.9', { 'x-forwarded-proto': 'javascript' }), 1).proto).toBe('http');
  });

  it('keeps the Host the client asked for', () => {
    expect(resolveClient(from('127.0.0.1', { host: '192.168.49.2:30000' }), 0).host).toBe(
      '192.168.49.2:30000',
    );
  });

  it('replaces every forwarding header with exactly one decided value each', () => {
    const headers = {
      host: 'todo.example',
      forwarded: 'for=203.0.113.1',
      'x-forwarded-for': '203.0.113.1',
      'x-real-ip': '203.0.113.2',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-port': '1',
      'true-client-ip': '203.0.113.3',
      cookie: 'a=1',
    };
    rewriteForwarding(headers, { ip: '127.0.0.1', proto: 'http', host: 'todo.example' });
    expect(headers).toEqual({
      host: 'todo.example',
      cookie: 'a=1',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'todo.example',
    });
  });

  it('normalises addresses as proxies write them', () => {
    expect(normaliseIp(' 203.0.113.7 ')).toBe('203.0.113.7');
    expect(normaliseIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normaliseIp('[::1]')).toBe('::1');
    expect(normaliseIp('unknown')).toBeUndefined();
    expect(normaliseIp('')).toBeUndefined();
  });
});

describe('TRUSTED_PROXY_HOPS', () => {
  it('is 0 unless set, and a small whole number when set', () => {
    expect(trustedProxyHops({})).toBe(0);
    expect(trustedProxyHops({ TRUSTED_PROXY_HOPS: '' })).toBe(0);
    expect(trustedProxyHops({ TRUSTED_PROXY_HOPS: ' 1 ' })).toBe(1);
    expect(trustedProxyHops({ TRUSTED_PROXY_HOPS: '2' })).toBe(2);
    for (const bad of ['-1', '1.5', 'one', 'true', '11'])
      expect(() => trustedProxyHops({ TRUSTED_PROXY_HOPS: bad }), bad).toThrow(/TRUSTED_PROXY_HOPS/);
  });
});

describe('SHUTDOWN_DELAY_MS', () => {
  it('is 5 s in production and 0 in development unless set; bad values name the setting', () => {
    expect(shutdownDelayMs({}, true)).toBe(5_000);
    expect(shutdownDelayMs({}, false)).toBe(0);
    expect(shutdownDelayMs({ SHUTDOWN_DELAY_MS: '0' }, true)).toBe(0);
    expect(shutdownDelayMs({ SHUTDOWN_DELAY_MS: ' 2500 ' }, true)).toBe(2_500);
    for (const bad of ['-1', '1.5', 'soon', '20001'])
      expect(() => shutdownDelayMs({ SHUTDOWN_DELAY_MS: bad }, true), bad).toThrow(/SHUTDOWN_DELAY_MS/);
  });
});
