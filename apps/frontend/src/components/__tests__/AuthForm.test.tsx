import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, mockFetch } from '@/test/fetch-mock';
import { AuthForm } from '../AuthForm';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('AuthForm', () => {
  it('labels every field and shows server errors inline', async () => {
    const { calls } = mockFetch({
      'POST /api/auth/sign-in/email': () =>
        json({ code: 'INVALID_EMAIL_OR_PASSWORD', message: 'Invalid email or password' }, 401),
    });
    render(<AuthForm mode="sign-in" />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'wrong-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Invalid email or password');
    expect(calls[0]?.url.origin).toBe(window.location.origin);
    expect(calls[0]?.body).toMatchObject({ email: 'ada@example.com', password: 'wrong-password' });
  });

  it('explains an unreachable server', async () => {
    const { calls } = mockFetch({
      'POST /api/auth/sign-up/email': () =>
        json({ status: 502, code: 'backend_unavailable', title: 'Backend unavailable' }, 502),
    });
    render(<AuthForm mode="sign-up" />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Name'), 'Ada');
    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct-horse');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(calls).toHaveLength(1);
    expect(await screen.findByRole('alert')).toHaveTextContent('unreachable');
  });
});
