import { act, render as renderPlain, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, mockFetch } from '@/test/fetch-mock';
import { fakeMcpKey } from '@/test/fixtures';
import { render } from '@/test/render';
import { AppShell } from '../AppShell';
import { McpDialog } from '../McpDialog';

const item = async (name: string) => {
  const list = await screen.findByRole('list', { name: 'MCP keys' });
  const heading = await within(list).findByRole('heading', { name });
  return heading.closest('li') as HTMLElement;
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('revoking an MCP key', () => {
  it('asks first; Cancel keeps the key and gives the focus back', async () => {
    const { calls } = mockFetch({ 'GET /api/mcp-keys': () => json({ items: [fakeMcpKey({ id: 'k1' })] }) });
    const user = userEvent.setup();
    render(<McpDialog onClose={() => {}} />);
    const laptop = await item('Laptop');
    await user.click(within(laptop).getByRole('button', { name: 'Revoke “Laptop”' }));
    const confirm = within(laptop).getByRole('group', {
      name: /Revoke “Laptop”\? Clients using it stop working at once/,
    });
    // the safe choice has the focus
    expect(within(confirm).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    await waitFor(() =>
      expect(within(laptop).getByRole('button', { name: 'Revoke “Laptop”' })).toHaveFocus(),
    );
    // Escape takes back the confirmation too
    await user.click(within(laptop).getByRole('button', { name: 'Revoke “Laptop”' }));
    await user.keyboard('{Escape}');
    expect(within(laptop).queryByRole('group')).not.toBeInTheDocument();
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
  });

  it('revokes after the confirmation, removes the key from the list and says so', async () => {
    let keys = [fakeMcpKey({ id: 'k1', name: 'Laptop' }), fakeMcpKey({ id: 'k2', name: 'Desktop' })];
    let release: (r: Response) => void = () => {};
    const { calls } = mockFetch({
      'GET /api/mcp-keys': () => json({ items: keys }),
      'DELETE /api/mcp-keys/k1': () =>
        new Promise<Response>((resolve) => {
          release = (r) => {
            keys = keys.filter((k) => k.id !== 'k1');
            resolve(r);
          };
        }),
    });
    const user = userEvent.setup();
    render(<McpDialog onClose={() => {}} />);
    const laptop = await item('Laptop');
    await user.click(within(laptop).getByRole('button', { name: 'Revoke “Laptop”' }));
    await user.click(within(laptop).getByRole('button', { name: 'Revoke key' }));
    // not optimistic: the key stays until the server said it is revoked
    expect(within(laptop).getByRole('button', { name: 'Revoking…' })).toBeDisabled();
    expect(laptop).toHaveAttribute('aria-busy', 'true');
    await act(async () => release(new Response(null, { status: 204 })));

    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Laptop' })).not.toBeInTheDocument());
    expect(screen.getByRole('heading', { name: 'Desktop' })).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.url.pathname)).toEqual([
      '/api/mcp-keys/k1',
    ]);
    expect(
      screen.getByText(/Revoked “Laptop”\. Clients using it can no longer reach your tasks\./),
    ).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Your keys (1)' })).toHaveFocus();
  });

  it('keeps the key and says why when the revocation fails', async () => {
    mockFetch({
      'GET /api/mcp-keys': () => json({ items: [fakeMcpKey({ id: 'k1' })] }),
      'DELETE /api/mcp-keys/k1': () =>
        json({ status: 502, code: 'backend_unavailable', title: 'Bad Gateway', detail: '' }, 502),
    });
    const user = userEvent.setup();
    render(<McpDialog onClose={() => {}} />);
    const laptop = await item('Laptop');
    await user.click(within(laptop).getByRole('button', { name: 'Revoke “Laptop”' }));
    await user.click(within(laptop).getByRole('button', { name: 'Revoke key' }));
    expect(await within(laptop).findByRole('alert')).toHaveTextContent(
      'The key was not revoked. Bad Gateway',
    );
    expect(within(laptop).getByRole('button', { name: 'Revoke key' })).toBeEnabled();
    expect(screen.getByRole('heading', { name: 'Laptop' })).toBeInTheDocument();
  });

  it('treats a key already gone (404) as revoked', async () => {
    let keys = [fakeMcpKey({ id: 'k1' })];
    mockFetch({
      'GET /api/mcp-keys': () => json({ items: keys }),
      'DELETE /api/mcp-keys/k1': () => {
        keys = [];
        return json({ status: 404, code: 'not_found', title: 'Not Found', detail: 'mcp key not found' }, 404);
      },
    });
    const user = userEvent.setup();
    render(<McpDialog onClose={() => {}} />);
    const laptop = await item('Laptop');
    await user.click(within(laptop).getByRole('button', { name: 'Revoke “Laptop”' }));
    await user.click(within(laptop).getByRole('button', { name: 'Revoke key' }));
    expect(await screen.findByText('“Laptop” had already been revoked.')).toBeInTheDocument();
    expect(await screen.findByText('No keys yet. Create one below.')).toBeInTheDocument();
  });
});

describe('the app shell', () => {
  it('opens the dialog from the header and gives the focus back when it closes', async () => {
    mockFetch({
      'GET /api/assistant': () => json({ mode: 'offline', model: 'offline' }),
      'GET /api/tasks': () => json({ items: [], nextCursor: null }),
      'GET /api/conversations': () => json({ items: [] }),
      'GET /api/mcp-keys': () => json({ items: [fakeMcpKey({ name: 'Laptop' })] }),
    });
    const user = userEvent.setup();
    renderPlain(<AppShell user={{ name: 'Ada', email: 'ada@example.com' }} />);
    const trigger = screen.getByRole('button', { name: 'MCP clients' });
    expect(trigger).toHaveAttribute('aria-haspopup', 'dialog');
    await user.click(trigger);
    // the dialog is a lazily loaded chunk: on a busy machine its import takes more than findBy's 1 s default
    const dialog = await screen.findByRole('dialog', { name: 'Connect an MCP client' }, { timeout: 15_000 });
    expect(await within(dialog).findByRole('heading', { name: 'Laptop' })).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(trigger).toHaveFocus();
  });
});
