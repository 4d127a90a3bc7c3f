import { describe, expect, it } from 'vitest';
import { safeNext } from '../auth-client';

const origin = 'http://app.example:3000';

describe('safeNext: where sign-in may send the browser', () => {
  it.each([
    ['/tasks?x=1#top', '/tasks?x=1#top'],
    ['/', '/'],
    ['tasks', '/tasks'],
    [`${origin}/tasks`, '/tasks'],
    // encoded forms stay encoded: a path on this origin, not another host
    ['/%09/evil.example/phish', '/%09/evil.example/phish'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['/%5C%5Cevil.example', '/%5C%5Cevil.example'],
  ])('keeps %j as %j', (next, expected) => {
    expect(safeNext(next, origin)).toBe(expected);
  });

  it.each([
    // the reported case: the browser drops the tab, `/\t/host` is `//host`
    '/\t/evil.example/phish',
    '/\n/evil.example',
    '/\r\n/evil.example',
    '\t//evil.example',
    ' //evil.example',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '\\/evil.example',
    '/\\/evil.example',
    '/.//evil.example',
    'https://evil.example',
    'HTTPS://evil.example/',
    'http://app.example:3000.evil.example/',
    'http://app.example:3000@evil.example/',
    'https://app.example:3000/',
    'http://app.example:3001/',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'java\tscript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'blob:http://app.example:3000/x',
    'http://[::1',
    '',
    null,
    undefined,
  ])('sends %j to / instead', (next) => {
    expect(safeNext(next, origin)).toBe('/');
  });
});
