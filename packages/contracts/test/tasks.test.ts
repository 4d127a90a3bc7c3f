import { describe, expect, it } from 'vitest';
import { CreateTaskInput, chatRequest, DueAt, ListTasksQuery, Title, UpdateTaskInput } from '../src/index.js';

describe('task text fields', () => {
  it('trims before measuring, and refuses blank titles', () => {
    expect(Title.parse('  buy milk  ')).toBe('buy milk');
    expect(Title.safeParse(` ${'x'.repeat(200)} `).success).toBe(true);
    expect(Title.safeParse('x'.repeat(201)).success).toBe(false);
    expect(Title.safeParse('   ').success).toBe(false);
  });

  it('refuses control characters in every text field, keeping line breaks where text spans lines', () => {
    for (const bad of ['a\u0000b', 'a\u0007', 'tab\there', 'line\nbreak', '\u007f']) {
      expect(CreateTaskInput.safeParse({ title: bad }).success, JSON.stringify(bad)).toBe(false);
      expect(CreateTaskInput.safeParse({ title: 'ok', tags: [bad] }).success, JSON.stringify(bad)).toBe(
        false,
      );
      expect(ListTasksQuery.safeParse({ q: bad }).success, JSON.stringify(bad)).toBe(false);
      expect(ListTasksQuery.safeParse({ tag: bad }).success, JSON.stringify(bad)).toBe(false);
    }
    expect(UpdateTaskInput.safeParse({ description: 'two\nlines\twith a tab\r\n' }).success).toBe(true);
    expect(UpdateTaskInput.safeParse({ description: 'nul \u0000' }).success).toBe(false);
    expect(chatRequest().safeParse({ message: 'hello\nthere' }).success).toBe(true);
    expect(chatRequest().safeParse({ message: `${'x'.repeat(100)}\u0000` }).success).toBe(false);
  });
});

describe('due dates', () => {
  it('accepts real dates with an offset and null, refuses years outside 1900–9999', () => {
    expect(DueAt.safeParse('2026-12-01T09:00:00+01:00').success).toBe(true);
    expect(DueAt.safeParse(null).success).toBe(true);
    expect(DueAt.safeParse('0000-01-01T00:00:00Z').success).toBe(false);
    expect(DueAt.safeParse('1899-12-31T23:59:59Z').success).toBe(false);
    expect(DueAt.safeParse('+275760-09-13T00:00:00Z').success).toBe(false);
    expect(DueAt.safeParse('2026-02-30T00:00:00Z').success).toBe(false);
  });
});
