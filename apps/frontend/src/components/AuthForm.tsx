'use client';

import Link from 'next/link';
import { type FormEvent, type InputHTMLAttributes, type ReactNode, useId, useState } from 'react';
import { authClient, safeNext } from '@/lib/auth-client';
import { ThemeToggle } from './ThemeToggle';

type Mode = 'sign-in' | 'sign-up';

interface AuthResult {
  error: { message?: string | undefined; title?: string; status?: number; statusText?: string } | null;
}

function describe(error: NonNullable<AuthResult['error']>): string {
  if (error.status === 502 || error.status === 503 || error.status === 504)
    return 'The server is unreachable right now. Please try again in a moment.';
  return error.message || error.title || error.statusText || 'Something went wrong. Please try again.';
}

const authInputClass =
  'mt-1 block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-slate-900 shadow-sm placeholder:text-slate-400 focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500/40 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100';

/** An input of the form with its label above it; `children` follow the input (a hint). */
function AuthField({
  id,
  label,
  children,
  ...input
}: { id: string; label: string; children?: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input id={id} {...input} className={authInputClass} />
      {children}
    </div>
  );
}

export function AuthForm({ mode }: { mode: Mode }) {
  const id = useId();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const signUp = mode === 'sign-up';

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const name = String(form.get('name') ?? '').trim() || email.split('@')[0] || email;
    setPending(true);
    setError(null);
    try {
      const client = authClient();
      const result: AuthResult = signUp
        ? await client.signUp.email({ email, password, name })
        : await client.signIn.email({ email, password });
      if (result.error) {
        setError(describe(result.error));
        setPending(false);
        return;
      }
      const next = safeNext(new URLSearchParams(window.location.search).get('next'));
      window.location.assign(next);
    } catch {
      setError('Network error: check your connection and try again.');
      setPending(false);
    }
  }

  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <div className="absolute top-4 right-4">
        <ThemeToggle />
      </div>
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center gap-3 text-center">
          {/* biome-ignore lint/performance/noImgElement: tiny static SVG logo */}
          <img src="/icon.svg" alt="" width={48} height={48} />
          <h1 className="text-2xl font-semibold tracking-tight">
            {signUp ? 'Create your account' : 'Sign in to Todo Assistant'}
          </h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {signUp ? 'Plan your day with a helpful assistant.' : 'Welcome back. Your tasks are waiting.'}
          </p>
        </div>
        <form
          onSubmit={onSubmit}
          aria-describedby={error ? `${id}-error` : undefined}
          className="space-y-4 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900"
        >
          {signUp && <AuthField id={`${id}-name`} label="Name" name="name" autoComplete="name" />}
          <AuthField
            id={`${id}-email`}
            label="Email"
            name="email"
            type="email"
            required
            autoComplete="email"
          />
          <AuthField
            id={`${id}-password`}
            label="Password"
            name="password"
            type="password"
            required
            minLength={8}
            autoComplete={signUp ? 'new-password' : 'current-password'}
            aria-describedby={signUp ? `${id}-password-hint` : undefined}
          >
            {signUp && (
              <p id={`${id}-password-hint`} className="mt-1 text-xs text-slate-600 dark:text-slate-400">
                At least 8 characters.
              </p>
            )}
          </AuthField>
          {error && (
            <p
              id={`${id}-error`}
              role="alert"
              className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
            >
              {error}
            </p>
          )}
          <button
            type="submit"
            disabled={pending}
            className="w-full rounded-lg bg-indigo-600 px-4 py-2.5 font-medium text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-wait disabled:opacity-70"
          >
            {pending ? (signUp ? 'Creating account…' : 'Signing in…') : signUp ? 'Create account' : 'Sign in'}
          </button>
        </form>
        <p className="mt-6 text-center text-sm text-slate-600 dark:text-slate-400">
          {signUp ? 'Already have an account? ' : 'New here? '}
          <Link
            href={signUp ? '/sign-in' : '/sign-up'}
            className="font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300"
          >
            {signUp ? 'Sign in' : 'Create an account'}
          </Link>
        </p>
      </div>
    </main>
  );
}
