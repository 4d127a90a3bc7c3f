import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, mockFetch, sse } from '@/test/fetch-mock';
import { ChatPanel } from '../ChatPanel';

afterEach(() => {
  vi.unstubAllGlobals();
});

const conversations = [{ id: 'c-old', title: 'Groceries', createdAt: '2026-01-01', updatedAt: '2026-01-01' }];

describe('ChatPanel', () => {
  it('streams a reply, shows the tool call as a chip and refreshes the board', async () => {
    const { calls } = mockFetch({
      'GET /api/conversations': () => json({ items: conversations }),
      'POST /api/chat': () =>
        sse([
          ['conversation', { conversationId: 'c-new' }],
          ['tool-call', { id: 't1', name: 'add_task', arguments: { title: 'buy milk' } }],
          ['tool-result', { id: 't1', name: 'add_task', ok: true, summary: "Added 'buy milk'" }],
          ['text-delta', { delta: 'I added ' }],
          ['text-delta', { delta: '“buy milk” for tomorrow.' }],
          ['done', { messageId: 'm1', tasksChanged: true }],
        ]),
    });
    const onTasksChanged = vi.fn();
    render(<ChatPanel onTasksChanged={onTasksChanged} offline />);
    expect(screen.getByText('Offline assistant')).toBeInTheDocument();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Message the assistant'), 'add buy milk tomorrow');
    await user.click(screen.getByRole('button', { name: /send/i }));
    expect(await screen.findByText('I added “buy milk” for tomorrow.')).toBeInTheDocument();
    // in the log: the header also shows it as the new conversation's title until the list refreshes
    expect(within(screen.getByRole('log')).getByText('add buy milk tomorrow')).toBeInTheDocument();
    expect(screen.getByTestId('tool-chip')).toHaveTextContent("Added 'buy milk'");
    // the board refresh follows the stream's last event, which may land after the text
    await waitFor(() => expect(onTasksChanged).toHaveBeenCalled());
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      message: 'add buy milk tomorrow',
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    });

    // the next message continues the same conversation
    await user.type(screen.getByLabelText('Message the assistant'), 'thanks');
    await user.click(screen.getByRole('button', { name: /send/i }));
    await waitFor(() =>
      expect(calls.filter((c) => c.method === 'POST').at(-1)?.body).toEqual({
        conversationId: 'c-new',
        message: 'thanks',
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      }),
    );
  });

  it('shows a stream error inline', async () => {
    mockFetch({
      'GET /api/conversations': () => json({ items: [] }),
      'POST /api/chat': () =>
        sse([
          ['conversation', { conversationId: 'c1' }],
          ['error', { code: 'internal_error', message: 'The model is unavailable.' }],
        ]),
    });
    render(<ChatPanel onTasksChanged={() => {}} offline={false} />);
    expect(screen.queryByText('Offline assistant')).not.toBeInTheDocument();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Message the assistant'), 'hello');
    await user.click(screen.getByRole('button', { name: /send/i }));
    expect(await screen.findByText('The model is unavailable.')).toBeInTheDocument();
  });

  it('lists, switches to and deletes conversations', async () => {
    const { calls } = mockFetch({
      'GET /api/conversations': () => json({ items: conversations }),
      'GET /api/conversations/c-old/messages': () =>
        json({
          items: [
            { id: 'u1', role: 'user', content: 'add eggs', toolCalls: [], createdAt: '2026-01-01' },
            {
              id: 'a1',
              role: 'assistant',
              content: 'Added eggs.',
              toolCalls: [
                { name: 'add_task', arguments: { title: 'eggs' }, summary: "Added 'eggs'", ok: true },
              ],
              createdAt: '2026-01-01',
            },
          ],
        }),
      'DELETE /api/conversations/c-old': () => new Response(null, { status: 204 }),
    });
    render(<ChatPanel onTasksChanged={() => {}} offline={false} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'History' }));
    await user.click(await screen.findByRole('button', { name: 'Groceries' }));
    expect(await screen.findByText('Added eggs.')).toBeInTheDocument();
    expect(screen.getByTestId('tool-chip')).toHaveTextContent("Added 'eggs'");

    await user.click(screen.getByRole('button', { name: 'History' }));
    await user.click(screen.getByRole('button', { name: 'Delete conversation “Groceries”' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE')).toBe(true));
    expect(screen.queryByText('Added eggs.')).not.toBeInTheDocument();
    expect(screen.getByText('No earlier conversations.')).toBeInTheDocument();
  });

  it('starts a new conversation after "New chat"', async () => {
    let replies = 0;
    const { calls } = mockFetch({
      'GET /api/conversations': () => json({ items: [] }),
      'POST /api/chat': () => {
        replies += 1;
        return sse([
          ['conversation', { conversationId: `c${replies}` }],
          ['text-delta', { delta: `Reply ${replies}` }],
          ['done', { messageId: `m${replies}`, tasksChanged: false }],
        ]);
      },
    });
    render(<ChatPanel onTasksChanged={() => {}} offline={false} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Message the assistant'), 'hello');
    await user.click(screen.getByRole('button', { name: /send/i }));
    expect(await screen.findByText('Reply 1')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'New chat' }));
    expect(screen.queryByText('Reply 1')).not.toBeInTheDocument();
    expect(screen.queryByText('hello')).not.toBeInTheDocument();
    expect(screen.getByText('Ask me to manage your tasks.')).toBeInTheDocument();

    await user.type(screen.getByLabelText('Message the assistant'), 'fresh start');
    await user.click(screen.getByRole('button', { name: /send/i }));
    expect(await screen.findByText('Reply 2')).toBeInTheDocument();
    // a new conversation: no conversationId is sent
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([
      { message: 'hello', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone },
      { message: 'fresh start', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone },
    ]);
  });
});
