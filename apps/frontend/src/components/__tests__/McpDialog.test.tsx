import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { CreatedMcpKey, McpKey } from '@todo/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, mockFetch } from '@/test/fetch-mock';
import { fakeMcpKey } from '@/test/fixtures';
import { render } from '@/test/render';
import { McpDialog } from '../McpDialog';

const SECRET = 'todo_mcp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';

/** A server holding keys in memory: list, create (the secret in the answer only), revoke. */
function keyServer(initial: McpKey[] = []) {
  let keys = [...initial];
  const fetchMock = mockFetch({
    'GET /api/mcp-keys': () => json({ items: keys }),
    'POST /api/mcp-keys': ({ body }) => {
      const input = body as { name: string; scope: 'read' | 'write'; expiresInDays?: number };
      const created: CreatedMcpKey = {
        ...fakeMcpKey({
          id: `new-${keys.length}`,
          name: input.name,
          scope: input.scope,
          createdAt: new Date().toISOString(),
        }),
        expiresAt: input.expiresInDays
          ? new Date(Date.now() + input.expiresInDays * 86_400_000).toISOString()
          : null,
        key: SECRET,
      };
      const { key: _secret, ...stored } = created;
      keys = [stored, ...keys];
      return json(created, 201);
    },
  });
  return { ...fetchMock, keys: () => keys, setKeys: (next: McpKey[]) => (keys = next) };
}

const dialog = () => screen.getByRole('dialog', { name: 'Connect an MCP client' });
const keyList = () => screen.findByRole('list', { name: 'MCP keys' });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('MCP keys dialog', () => {
  it('opens as a modal dialog with this origin’s endpoint and lists the keys', async () => {
    keyServer([
      fakeMcpKey({ name: 'Laptop – VS Code', lastUsedAt: '2026-02-01T08:30:00.000Z' }),
      fakeMcpKey({
        name: 'Desktop assistant',
        scope: 'read',
        start: 'todo_mcp_Zz',
        expiresAt: '2020-01-01T00:00:00.000Z',
      }),
      // first characters that are all prefix tell nothing: not shown
      fakeMcpKey({ name: 'CI bot', start: 'todo_m', expiresAt: '2099-06-01T00:00:00.000Z' }),
    ]);
    render(<McpDialog onClose={() => {}} />);
    expect(dialog()).toHaveAttribute('open');
    // the title has the focus, so a screen reader starts at the top
    expect(screen.getByRole('heading', { name: 'Connect an MCP client' })).toHaveFocus();
    expect(screen.getByLabelText('Server URL (Streamable HTTP)')).toHaveValue(
      `${window.location.origin}/api/mcp`,
    );
    expect(screen.getByText('Loading your keys…')).toHaveAttribute('role', 'status');

    const items = within(await keyList()).getAllByRole('listitem');
    expect(items).toHaveLength(3);
    const [laptop, desktop, bot] = items as [HTMLElement, HTMLElement, HTMLElement];
    expect(within(laptop).getByRole('heading', { name: 'Laptop – VS Code' })).toBeInTheDocument();
    expect(laptop).toHaveTextContent('Read and change');
    expect(laptop).toHaveTextContent('todo_mcp_Ab…');
    expect(laptop.querySelector('time[datetime="2026-01-05T10:00:00.000Z"]')).not.toBeNull();
    expect(laptop.querySelector('time[datetime="2026-02-01T08:30:00.000Z"]')).not.toBeNull();
    expect(laptop).toHaveTextContent(/Expires\s*Never/);
    expect(desktop).toHaveTextContent('Read only');
    expect(desktop).toHaveTextContent(/Last used\s*Never/);
    expect(desktop).toHaveTextContent(/Expired/);
    expect(bot.querySelector('time[datetime="2099-06-01T00:00:00.000Z"]')).not.toBeNull();
    expect(bot).not.toHaveTextContent('todo_m');
    expect(screen.getByRole('heading', { name: 'Your keys (3)' })).toBeInTheDocument();
  });

  it('says so when there are no keys, and offers a retry when the list fails', async () => {
    let fail = true;
    mockFetch({
      'GET /api/mcp-keys': () =>
        fail
          ? json({ status: 500, code: 'internal_error', detail: 'something went wrong on our side' }, 500)
          : json({ items: [] }),
    });
    render(<McpDialog onClose={() => {}} />);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Your keys could not be loaded. something went wrong on our side',
    );
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('No keys yet. Create one below.')).toBeInTheDocument();
  });

  it('creates a key and shows it exactly once, with copy buttons and a configuration to paste', async () => {
    const server = keyServer();
    const user = userEvent.setup();
    render(<McpDialog onClose={() => {}} />);
    await screen.findByText('No keys yet. Create one below.');

    await user.type(screen.getByLabelText('Name'), '  Laptop – Cursor ');
    await user.click(screen.getByRole('radio', { name: /Read only/ }));
    await user.selectOptions(screen.getByLabelText('Expires'), 'Custom…');
    await user.type(screen.getByLabelText('Days until it expires'), '10');
    await user.click(screen.getByRole('button', { name: 'Create key' }));

    const panel = await screen.findByRole('region', { name: 'Your new key “Laptop – Cursor”' });
    expect(server.calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'Laptop – Cursor',
      scope: 'read',
      expiresInDays: 10,
    });
    expect(within(panel).getByRole('heading', { name: /Your new key/ })).toHaveFocus();
    expect(panel).toHaveTextContent('this is the only time it is shown');
    expect(within(panel).getByLabelText(/MCP key \(read only\)/)).toHaveValue(SECRET);
    // while the key is shown, no second one can be created over it
    expect(screen.queryByRole('button', { name: 'Create key' })).not.toBeInTheDocument();

    await user.click(within(panel).getByRole('button', { name: 'Copy key' }));
    expect(await navigator.clipboard.readText()).toBe(SECRET);
    expect(within(panel).getByText('Key copied to the clipboard.')).toBeInTheDocument();

    // the configuration: this origin's endpoint and the Authorization header, in the mcpServers shape
    const config = within(panel).getByLabelText('JSON (mcpServers) configuration to paste');
    expect(JSON.parse((config as HTMLTextAreaElement).value)).toEqual({
      mcpServers: {
        todo: { url: `${window.location.origin}/api/mcp`, headers: { Authorization: `Bearer ${SECRET}` } },
      },
    });
    await user.click(within(panel).getByRole('button', { name: 'Copy configuration' }));
    expect(JSON.parse(await navigator.clipboard.readText())).toHaveProperty('mcpServers.todo.headers');
    await user.selectOptions(within(panel).getByLabelText('Client configuration'), 'VS Code');
    expect(
      JSON.parse((within(panel).getByLabelText(/VS Code configuration/) as HTMLTextAreaElement).value),
    ).toEqual({
      servers: {
        todo: {
          type: 'http',
          url: `${window.location.origin}/api/mcp`,
          headers: { Authorization: `Bearer ${SECRET}` },
        },
      },
    });
    await user.selectOptions(within(panel).getByLabelText('Client configuration'), 'Claude Code command');
    expect(within(panel).getByLabelText(/Claude Code command configuration/)).toHaveValue(
      `claude mcp add --transport http todo ${window.location.origin}/api/mcp --header "Authorization: Bearer ${SECRET}"`,
    );

    // the list has the new key, by its name and its first characters only
    const item = within(await keyList()).getByRole('listitem');
    expect(item).toHaveTextContent('Laptop – Cursor');
    expect(item).toHaveTextContent('Read only');
    expect(item).not.toHaveTextContent(SECRET);

    await user.click(within(panel).getByRole('button', { name: 'Done, I have stored it' }));
    expect(screen.queryByRole('region', { name: /Your new key/ })).not.toBeInTheDocument();
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(screen.getByRole('heading', { name: 'Connect an MCP client' })).toHaveFocus();
    // ready for another one
    expect(screen.getByLabelText('Name')).toHaveValue('');
    expect(screen.getByRole('radio', { name: /Read and change/ })).toBeChecked();
  });

  it('sends the default scope and expiry, and no expiry for "Never"', async () => {
    const server = keyServer();
    const user = userEvent.setup();
    render(<McpDialog onClose={() => {}} />);
    await screen.findByText('No keys yet. Create one below.');
    await user.type(screen.getByLabelText('Name'), 'Desktop{Enter}');
    await screen.findByRole('region', { name: /Your new key/ });
    await user.click(screen.getByRole('button', { name: 'Done, I have stored it' }));
    await user.type(screen.getByLabelText('Name'), 'Forever');
    await user.selectOptions(screen.getByLabelText('Expires'), 'Never (until revoked)');
    await user.click(screen.getByRole('button', { name: 'Create key' }));
    await screen.findByRole('region', { name: 'Your new key “Forever”' });
    expect(server.calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([
      { name: 'Desktop', scope: 'write', expiresInDays: 90 },
      { name: 'Forever', scope: 'write' },
    ]);
  });

  it('shows the API’s validation problems at the fields they concern', async () => {
    const { calls } = mockFetch({
      'GET /api/mcp-keys': () => json({ items: [] }),
      'POST /api/mcp-keys': () =>
        json(
          {
            type: 'https://todo-chatbot.dev/problems/validation-error',
            title: 'Bad Request',
            status: 400,
            code: 'validation_error',
            detail: 'invalid body',
            errors: [
              { path: 'body.name', message: 'name must not contain control characters' },
              { path: 'body.expiresInDays', message: 'Too big: expected number to be <=366' },
            ],
          },
          400,
        ),
    });
    const user = userEvent.setup();
    render(<McpDialog onClose={() => {}} />);
    await screen.findByText('No keys yet. Create one below.');

    // a blank name is caught before anything is sent
    await user.type(screen.getByLabelText('Name'), '   ');
    await user.click(screen.getByRole('button', { name: 'Create key' }));
    const name = screen.getByLabelText('Name');
    await waitFor(() => expect(name).toHaveFocus());
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveAccessibleDescription(expect.stringContaining('Enter a name'));
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    await user.type(name, 'Laptop');
    expect(name).not.toHaveAttribute('aria-invalid');
    await user.selectOptions(screen.getByLabelText('Expires'), 'Custom…');
    await user.type(screen.getByLabelText('Days until it expires'), '400');
    await user.click(screen.getByRole('button', { name: 'Create key' }));
    await waitFor(() => expect(name).toHaveAttribute('aria-invalid', 'true'));
    expect(name).toHaveAccessibleDescription(
      expect.stringContaining('name must not contain control characters'),
    );
    expect(name).toHaveFocus();
    const days = screen.getByLabelText('Days until it expires');
    expect(days).toHaveAttribute('aria-invalid', 'true');
    expect(days).toHaveAccessibleDescription(expect.stringContaining('Too big: expected number to be <=366'));
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'Laptop',
      scope: 'write',
      expiresInDays: 400,
    });
    // nothing is revealed, the form keeps what the user typed
    expect(screen.queryByRole('region', { name: /Your new key/ })).not.toBeInTheDocument();
    expect(name).toHaveValue('   Laptop');
  });

  it('reports a failure that concerns no field as an alert', async () => {
    mockFetch({
      'GET /api/mcp-keys': () => json({ items: [] }),
      'POST /api/mcp-keys': () =>
        json({ status: 502, code: 'backend_unavailable', title: 'Bad Gateway', detail: '' }, 502),
    });
    const user = userEvent.setup();
    render(<McpDialog onClose={() => {}} />);
    await screen.findByText('No keys yet. Create one below.');
    await user.type(screen.getByLabelText('Name'), 'Laptop{Enter}');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The key was not created. Bad Gateway');
    await waitFor(() => expect(alert).toHaveFocus());
    expect(screen.getByRole('button', { name: 'Create key' })).toBeEnabled();
  });
});
