import { act, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chatUi } from '@/lib/server/chat-ui';
import { json, mockFetch } from '@/test/fetch-mock';
import { AppShell } from '../AppShell';

const chatkitOptions: unknown[] = [];

vi.mock('@openai/chatkit-react', () => ({
  useChatKit: (options: unknown) => {
    chatkitOptions.push(options);
    return { control: { options } };
  },
  ChatKit: (props: { className?: string }) => (
    <div data-testid="openai-chatkit" className={props.className} />
  ),
}));

afterEach(() => {
  vi.unstubAllGlobals();
  chatkitOptions.length = 0;
  document.documentElement.classList.remove('dark');
});

const user = { name: 'Ada', email: 'ada@example.com' };
const routes = {
  'GET /api/assistant': () => json({ mode: 'offline', model: 'offline' }),
  'GET /api/tasks': () => json({ items: [], nextCursor: null }),
  'GET /api/conversations': () => json({ items: [] }),
};

describe('chat UI switch', () => {
  it('reads CHAT_UI and CHATKIT_DOMAIN_KEY at runtime, and needs both', () => {
    expect(chatUi({})).toEqual({ kind: 'builtin' });
    expect(chatUi({ CHAT_UI: 'chatkit' })).toEqual({ kind: 'builtin' });
    expect(chatUi({ CHAT_UI: 'builtin', CHATKIT_DOMAIN_KEY: 'dk' })).toEqual({ kind: 'builtin' });
    expect(chatUi({ CHAT_UI: 'ChatKit', CHATKIT_DOMAIN_KEY: ' domain_pk_1 ' })).toEqual({
      kind: 'chatkit',
      domainKey: 'domain_pk_1',
    });
  });

  it('renders the ChatKit container pointed at /api/chatkit in chatkit mode', async () => {
    mockFetch(routes);
    render(<AppShell user={user} chatUi={{ kind: 'chatkit', domainKey: 'domain_pk_test' }} />);
    expect(await screen.findByTestId('openai-chatkit', undefined, { timeout: 15_000 })).toBeInTheDocument();
    expect(screen.getByTestId('chatkit-panel')).toBeInTheDocument();
    expect(screen.queryByLabelText('Message the assistant')).not.toBeInTheDocument();
    const options = chatkitOptions.at(-1) as {
      api: { url: string; domainKey: string };
      onResponseEnd: () => void;
    };
    expect(options.api).toMatchObject({ url: '/api/chatkit', domainKey: 'domain_pk_test' });
    expect(typeof options.onResponseEnd).toBe('function');
    // the web component's script comes from OpenAI's CDN
    expect(document.querySelector('script[src*="cdn.platform.openai.com"]')).not.toBeNull();
  });

  it('renders the built-in panel by default', async () => {
    mockFetch(routes);
    render(<AppShell user={user} />);
    // the panel is a lazily loaded chunk: on a busy machine its import takes more than findBy's 1 s default
    expect(
      await screen.findByLabelText('Message the assistant', undefined, { timeout: 15_000 }),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('chatkit-panel')).not.toBeInTheDocument();
    expect(chatkitOptions).toHaveLength(0);
  });
});

interface RecordedOptions {
  theme: string;
  onEffect: (effect: { name: string }) => void;
  onResponseEnd: () => void;
}

const lastOptions = () => chatkitOptions.at(-1) as RecordedOptions;

async function renderChatKit(mode: 'offline' | 'openai' = 'offline') {
  const fetchMock = mockFetch({ ...routes, 'GET /api/assistant': () => json({ mode, model: mode }) });
  render(<AppShell user={user} chatUi={{ kind: 'chatkit', domainKey: 'domain_pk_test' }} />);
  await screen.findByTestId('openai-chatkit', undefined, { timeout: 15_000 });
  return fetchMock;
}

describe('ChatKit mode', () => {
  it('reloads the board on a tasks.changed effect and at the end of each response', async () => {
    const { calls } = await renderChatKit();
    const taskLoads = () => calls.filter((c) => c.method === 'GET' && c.url.pathname === '/api/tasks').length;
    await screen.findByText('No tasks yet');
    const loaded = taskLoads();
    expect(loaded).toBeGreaterThan(0);

    // other effects are not about tasks
    act(() => lastOptions().onEffect({ name: 'other' }));
    expect(taskLoads()).toBe(loaded);

    act(() => lastOptions().onEffect({ name: 'tasks.changed' }));
    await waitFor(() => expect(taskLoads()).toBe(loaded + 1));

    act(() => lastOptions().onResponseEnd());
    await waitFor(() => expect(taskLoads()).toBe(loaded + 2));
  });

  it('shows the offline badge when the offline model answers', async () => {
    await renderChatKit('offline');
    const badge = await within(screen.getByTestId('chatkit-panel')).findByText('Offline assistant');
    expect(badge).toHaveAttribute('title', expect.stringContaining('offline model'));
  });

  it('shows no offline badge when OpenAI answers', async () => {
    const { calls } = await renderChatKit('openai');
    await waitFor(() => expect(calls.some((c) => c.url.pathname === '/api/assistant')).toBe(true));
    // let the answer reach AppShell's state before looking
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(screen.queryByText('Offline assistant')).not.toBeInTheDocument();
  });

  it("follows the app's theme toggle", async () => {
    await renderChatKit();
    expect(lastOptions().theme).toBe('light');
    act(() => document.documentElement.classList.add('dark'));
    await waitFor(() => expect(lastOptions().theme).toBe('dark'));
    act(() => document.documentElement.classList.remove('dark'));
    await waitFor(() => expect(lastOptions().theme).toBe('light'));
  });
});
