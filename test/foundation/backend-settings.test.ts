// The settings registry (scripts/lib/settings.mjs) documents the backend's variables; the backend's
// zod config (apps/backend/src/config.ts) is what applies them. This keeps the two in step: every
// backend variable the registry lists with a literal default has exactly that default.
import { SETTINGS } from '@todo/scripts/lib/settings.mjs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../apps/backend/src/config.js';

/** The literal of a documented default like "`30`" or "`0` (the charts: …)"; undefined for prose. */
const literal = (shown: string | undefined) => /^`([^`$]+)`(?:\s|$)/.exec(shown ?? '')?.[1];

const BACKEND_ONLY = new Set(['PORT', 'HOST', 'PGPORT']); // shared with the frontend, or read by node-postgres

describe('backend settings', () => {
  const documented = SETTINGS.filter(
    (s) => s.group === 'backend' && !BACKEND_ONLY.has(s.name) && literal(s.shown),
  );

  it('the registry documents literal defaults for the backend', () => {
    expect(documented.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'RATE_LIMIT_CHAT_PER_MINUTE',
        'TRUSTED_PROXY_HOPS',
        'REQUEST_TIMEOUT_MS',
        'LOG_LEVEL',
      ]),
    );
  });

  it.each(documented.map((s) => [s.name, literal(s.shown) as string]))(
    '%s: the documented default %s is the one the backend applies',
    (name, value) => {
      // setting the documented default explicitly changes nothing (in production, as the chart runs it)
      const base = { NODE_ENV: 'production' };
      expect(loadConfig({ ...base, [name]: value })).toEqual(loadConfig(base));
    },
  );
});
