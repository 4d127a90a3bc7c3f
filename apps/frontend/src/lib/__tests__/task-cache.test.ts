import type { Task } from '@todo/contracts';
import { describe, expect, it } from 'vitest';
import { fakeTask } from '@/test/fixtures';
import { flattenPages, prependTask, replaceOrPrepend, type TaskPages, temporaryTask } from '../task-cache';

const task = (id: string, title = id): Task => fakeTask({ id, title });

const pages = (...lists: Task[][]): TaskPages => ({
  pages: lists.map((items, i) => ({ items, nextCursor: i < lists.length - 1 ? `c${i + 2}` : null })),
  pageParams: lists.map((_, i) => (i === 0 ? null : `c${i + 1}`)),
});

const titles = (data: TaskPages | undefined) => flattenPages(data).map((t) => t.title);

describe('task cache', () => {
  it('flattens pages in order and shows a task that moved between pages once', () => {
    expect(titles(pages([task('a'), task('b')], [task('b'), task('c')]))).toEqual(['a', 'b', 'c']);
    expect(flattenPages(undefined)).toEqual([]);
  });

  it('replaces the optimistic stand-in with the saved task', () => {
    const temp = temporaryTask({ title: 'milk' });
    expect(temp.id).toMatch(/^temp-/);
    const data = prependTask(pages([task('a')]), temp);
    expect(titles(replaceOrPrepend(data, temp.id, task('real', 'milk (saved)')))).toEqual([
      'milk (saved)',
      'a',
    ]);
  });

  it('adds the saved task once when a reload replaced the stand-in', () => {
    const reloaded = pages([task('real', 'milk'), task('a')]);
    expect(titles(replaceOrPrepend(reloaded, 'temp-x', task('real', 'milk')))).toEqual(['milk', 'a']);
    expect(titles(replaceOrPrepend(pages([task('a')]), 'temp-x', task('real', 'milk')))).toEqual([
      'milk',
      'a',
    ]);
    expect(replaceOrPrepend(undefined, 'temp-x', task('real'))).toBeUndefined();
  });
});
