import { describe, expect, it } from 'vitest';
import { backendUrl } from '../../../server/settings';
import { dateInputToIso, describeDue, isoToDateInput, parseTags } from '../dates';
import { hasSessionCookie } from '../session-cookie';

describe('helpers', () => {
  it('recognises Better Auth session cookies, plain and __Secure-', () => {
    expect(hasSessionCookie(['better-auth.session_token'])).toBe(true);
    expect(hasSessionCookie(['__Secure-better-auth.session_token'])).toBe(true);
    expect(hasSessionCookie(['theme', 'better-auth.session_data'])).toBe(false);
  });

  it('reads BACKEND_URL at call time with a default and no trailing slash', () => {
    expect(backendUrl({} as NodeJS.ProcessEnv)).toBe('http://localhost:8000');
    expect(backendUrl({ BACKEND_URL: 'http://todo-backend:8000/' } as unknown as NodeJS.ProcessEnv)).toBe(
      'http://todo-backend:8000',
    );
  });

  it('round-trips date inputs and describes due dates', () => {
    const iso = dateInputToIso('2026-03-04');
    expect(iso).not.toBeNull();
    expect(isoToDateInput(iso)).toBe('2026-03-04');
    expect(dateInputToIso('')).toBeNull();
    const now = new Date(2026, 2, 4, 15, 0);
    expect(describeDue(new Date(2026, 2, 5).toISOString(), now)).toEqual({
      label: 'Tomorrow',
      overdue: false,
    });
    expect(describeDue(new Date(2026, 2, 3).toISOString(), now)).toEqual({
      label: 'Yesterday',
      overdue: true,
    });
  });

  it('parses tags', () => {
    expect(parseTags(' Home, #errands,home ,, ')).toEqual(['home', 'errands']);
  });
});
