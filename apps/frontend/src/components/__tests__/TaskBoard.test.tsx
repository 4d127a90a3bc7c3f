import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Task } from '@todo/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, mockFetch } from '@/test/fetch-mock';
import { fakeTask } from '@/test/fixtures';
import { render } from '@/test/render';
import { TaskBoard } from '../TaskBoard';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('TaskBoard', () => {
  it('shows loading, then the tasks', async () => {
    mockFetch({
      'GET /api/tasks': () =>
        json({ items: [fakeTask({ title: 'Write report', tags: ['work'] })], nextCursor: null }),
    });
    render(<TaskBoard refreshKey={0} />);
    expect(screen.getByRole('status')).toHaveTextContent('Loading tasks');
    expect(await screen.findByText('Write report')).toBeInTheDocument();
    expect(screen.getByText('#work', { selector: 'span' })).toBeInTheDocument();
    expect(screen.getByRole('option', { name: '#work' })).toBeInTheDocument();
  });

  it('shows an empty state', async () => {
    mockFetch({ 'GET /api/tasks': () => json({ items: [], nextCursor: null }) });
    render(<TaskBoard refreshKey={0} />);
    expect(await screen.findByText('No tasks yet')).toBeInTheDocument();
  });

  it('shows an error with retry', async () => {
    let fail = true;
    mockFetch({
      'GET /api/tasks': () =>
        fail
          ? json(
              { status: 502, code: 'backend_unavailable', title: 'Backend unavailable', detail: 'down' },
              502,
            )
          : json({ items: [fakeTask({ title: 'Back again' })], nextCursor: null }),
    });
    render(<TaskBoard refreshKey={0} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('could not be loaded');
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('Back again')).toBeInTheDocument();
  });

  it('adds a task optimistically with priority, due date and tags', async () => {
    let release: (r: Response) => void = () => {};
    const { calls } = mockFetch({
      'GET /api/tasks': () => json({ items: [], nextCursor: null }),
      'POST /api/tasks': ({ body }) =>
        new Promise<Response>((resolve) => {
          release = resolve;
          void body;
        }),
    });
    render(<TaskBoard refreshKey={0} />);
    await screen.findByText('No tasks yet');
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('New task title'), 'Buy bread');
    await user.selectOptions(screen.getByLabelText('Priority'), 'high');
    await user.type(screen.getByLabelText('Tags, comma separated'), 'shop, Food');
    await user.click(screen.getByRole('button', { name: 'Add' }));
    // visible before the server answered
    const item = await screen.findByText('Buy bread');
    expect(item.closest('li')).toHaveAttribute('aria-busy', 'true');
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toMatchObject({
      title: 'Buy bread',
      priority: 'high',
      tags: ['shop', 'food'],
      dueAt: null,
    });
    await act(async () => release(json(fakeTask({ id: 'real', title: 'Buy bread', priority: 'high' }), 201)));
    await waitFor(() => expect(screen.getByText('Buy bread').closest('li')).not.toHaveAttribute('aria-busy'));
  });

  it('sends the due date entered in the add form as local midnight', async () => {
    const { calls } = mockFetch({
      'GET /api/tasks': () => json({ items: [], nextCursor: null }),
      'POST /api/tasks': ({ body }) => json(fakeTask({ id: 'real', ...(body as Partial<Task>) }), 201),
    });
    render(<TaskBoard refreshKey={0} />);
    await screen.findByText('No tasks yet');
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('New task title'), 'Pay rent');
    const due = screen.getByLabelText('Due date');
    await user.type(due, '2026-03-14');
    expect(due).toHaveValue('2026-03-14');
    await user.click(screen.getByRole('button', { name: 'Add' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')?.body).toMatchObject({
      title: 'Pay rent',
      dueAt: new Date(2026, 2, 14).toISOString(),
    });
    // the form is ready for the next task
    expect(due).toHaveValue('');
  });

  it('rolls back a failed completion and says why', async () => {
    mockFetch({
      'GET /api/tasks': () => json({ items: [fakeTask({ id: 't1', title: 'Call mom' })], nextCursor: null }),
      'POST /api/tasks/t1/complete': () =>
        json({ status: 500, code: 'internal_error', detail: 'Database hiccup' }, 500),
    });
    render(<TaskBoard refreshKey={0} />);
    const checkbox = await screen.findByRole('checkbox', { name: /Call mom/ });
    await userEvent.click(checkbox);
    expect(await screen.findByRole('alert')).toHaveTextContent('Database hiccup');
    expect(checkbox).not.toBeChecked();
  });

  it('completes, edits inline and filters', async () => {
    const { calls } = mockFetch({
      'GET /api/tasks': () => json({ items: [fakeTask({ id: 't1', title: 'Call mom' })], nextCursor: null }),
      'POST /api/tasks/t1/complete': () => json(fakeTask({ id: 't1', title: 'Call mom', completed: true })),
      'PATCH /api/tasks/t1': ({ body }) =>
        json(fakeTask({ id: 't1', title: (body as { title: string }).title, completed: true })),
    });
    render(<TaskBoard refreshKey={0} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('checkbox', { name: /Call mom/ }));
    await waitFor(() => expect(screen.getByRole('checkbox', { name: /Call mom/ })).toBeChecked());

    await user.click(screen.getByRole('button', { name: 'Edit “Call mom”' }));
    const form = screen.getByRole('form', { name: 'Edit “Call mom”' });
    const title = within(form).getByLabelText('Title');
    await user.clear(title);
    await user.type(title, 'Call mom tonight{Enter}');
    expect(await screen.findByText('Call mom tonight')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ title: 'Call mom tonight' });
    // focus returns to the Edit button
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Edit “Call mom tonight”' })).toHaveFocus(),
    );

    await user.click(screen.getByRole('button', { name: 'Done' }));
    await user.selectOptions(screen.getByLabelText('Filter by priority'), 'high');
    await waitFor(() => {
      const last = calls.filter((c) => c.method === 'GET').at(-1);
      expect(last?.url.searchParams.get('status')).toBe('done');
      expect(last?.url.searchParams.get('priority')).toBe('high');
    });
  });

  it('deletes with undo, and deletes for real when the undo window passes', async () => {
    const { calls } = mockFetch({
      'GET /api/tasks': () =>
        json({
          items: [fakeTask({ id: 'a', title: 'Alpha' }), fakeTask({ id: 'b', title: 'Beta' })],
          nextCursor: null,
        }),
      'DELETE /api/tasks/a': () => new Response(null, { status: 204 }),
      'DELETE /api/tasks/b': () => new Response(null, { status: 204 }),
    });
    render(<TaskBoard refreshKey={0} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Delete “Alpha”' }));
    expect(screen.queryByText('Alpha', { selector: 'label' })).not.toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Deleted “Alpha”');
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    expect(await screen.findByText('Alpha', { selector: 'label' })).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);

    vi.useFakeTimers({ shouldAdvanceTime: true });
    await user.click(screen.getByRole('button', { name: 'Delete “Beta”' }));
    await act(async () => {
      vi.advanceTimersByTime(7000);
    });
    await waitFor(() =>
      expect(calls.some((c) => c.method === 'DELETE' && c.url.pathname === '/api/tasks/b')).toBe(true),
    );
  });

  it('filters by a tag the board has seen', async () => {
    const report = fakeTask({ title: 'Write report', tags: ['work'] });
    const milk = fakeTask({ title: 'Buy milk', tags: ['home'] });
    const { calls } = mockFetch({
      'GET /api/tasks': ({ url }) => {
        const tag = url.searchParams.get('tag');
        return json({ items: [report, milk].filter((t) => !tag || t.tags.includes(tag)), nextCursor: null });
      },
    });
    render(<TaskBoard refreshKey={0} />);
    await screen.findByText('Buy milk');
    await userEvent.selectOptions(screen.getByLabelText('Filter by tag'), '#work');
    await waitFor(() => expect(screen.queryByText('Buy milk')).not.toBeInTheDocument());
    expect(screen.getByText('Write report')).toBeInTheDocument();
    expect(calls.at(-1)?.url.searchParams.get('tag')).toBe('work');
    // tags seen earlier stay selectable while filtered
    expect(screen.getByRole('option', { name: '#home' })).toBeInTheDocument();
  });

  it('searches once the typing pauses', async () => {
    const items = [fakeTask({ title: 'Buy milk' }), fakeTask({ title: 'Call mom' })];
    const { calls } = mockFetch({
      'GET /api/tasks': ({ url }) => {
        const q = url.searchParams.get('q') ?? '';
        return json({ items: items.filter((t) => t.title.toLowerCase().includes(q)), nextCursor: null });
      },
    });
    render(<TaskBoard refreshKey={0} />);
    await screen.findByText('Call mom');
    const searches = () =>
      calls.filter((c) => c.url.searchParams.has('q')).map((c) => c.url.searchParams.get('q'));

    // Keystrokes 100 ms apart (fireEvent: user-event's async wrapper waits on a timer vitest has faked).
    vi.useFakeTimers();
    const search = screen.getByLabelText('Search tasks');
    for (const value of ['m', 'mi', 'mil', 'milk']) {
      fireEvent.change(search, { target: { value } });
      act(() => {
        vi.advanceTimersByTime(100);
      });
    }
    act(() => {
      vi.advanceTimersByTime(149);
    });
    expect(searches()).toEqual([]);
    act(() => {
      vi.advanceTimersByTime(1);
    });
    // one request for the whole word, not one per keystroke
    expect(searches()).toEqual(['milk']);
    vi.useRealTimers();
    await waitFor(() => expect(screen.queryByText('Call mom')).not.toBeInTheDocument());
    expect(screen.getByText('Buy milk')).toBeInTheDocument();
  });

  it('reloads quietly when refreshKey changes (assistant changed tasks)', async () => {
    let items = [fakeTask({ title: 'Old' })];
    mockFetch({ 'GET /api/tasks': () => json({ items, nextCursor: null }) });
    const { rerender } = render(<TaskBoard refreshKey={0} />);
    await screen.findByText('Old');
    items = [fakeTask({ title: 'buy milk' }), ...items];
    rerender(<TaskBoard refreshKey={1} />);
    expect(await screen.findByText('buy milk')).toBeInTheDocument();
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });
});

describe('TaskBoard paging', () => {
  it('loads the next page on demand', async () => {
    const { calls } = mockFetch({
      'GET /api/tasks': ({ url }) =>
        url.searchParams.get('cursor') === 'c2'
          ? json({ items: [fakeTask({ title: 'Second page' })], nextCursor: null })
          : json({ items: [fakeTask({ title: 'First page' })], nextCursor: 'c2' }),
    });
    render(<TaskBoard refreshKey={0} />);
    await screen.findByText('First page');
    await userEvent.click(screen.getByRole('button', { name: 'Show more tasks' }));
    expect(await screen.findByText('Second page')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Show more tasks' })).not.toBeInTheDocument();
    expect(calls.at(-1)?.url.searchParams.get('cursor')).toBe('c2');
  });

  it('keeps the pages the user had loaded when the assistant changes tasks', async () => {
    let first = [fakeTask({ title: 'First page' })];
    mockFetch({
      'GET /api/tasks': ({ url }) =>
        url.searchParams.get('cursor') === 'c2'
          ? json({ items: [fakeTask({ id: 'p2', title: 'Second page' })], nextCursor: null })
          : json({ items: first, nextCursor: 'c2' }),
    });
    const { rerender } = render(<TaskBoard refreshKey={0} />);
    await screen.findByText('First page');
    await userEvent.click(screen.getByRole('button', { name: 'Show more tasks' }));
    await screen.findByText('Second page');
    first = [fakeTask({ title: 'Added by the assistant' })];
    rerender(<TaskBoard refreshKey={1} />);
    expect(await screen.findByText('Added by the assistant')).toBeInTheDocument();
    expect(screen.getByText('Second page')).toBeInTheDocument();
    expect(screen.queryByText('First page')).not.toBeInTheDocument();
  });
});
