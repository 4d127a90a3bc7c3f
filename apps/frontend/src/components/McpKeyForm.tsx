'use client';

import type { CreatedMcpKey, McpKeyScope } from '@todo/contracts';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ApiError } from '@/lib/api';
import { errorMessage, fieldError, useCreateMcpKey } from '@/lib/use-mcp-keys';
import { inputClass, primaryButton } from './ui';

const EXPIRY_CHOICES = [
  { value: '7', label: 'In 7 days' },
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
  { value: 'never', label: 'Never (until revoked)' },
  { value: 'custom', label: 'Custom…' },
] as const;
type Expiry = (typeof EXPIRY_CHOICES)[number]['value'];

const SCOPES: { value: McpKeyScope; label: string; hint: string }[] = [
  {
    value: 'write',
    label: 'Read and change tasks',
    hint: 'Every task tool: list, add, update, complete, delete.',
  },
  {
    value: 'read',
    label: 'Read only',
    hint: 'list_tasks only: the client sees your tasks and changes nothing.',
  },
];

interface Errors {
  name?: string;
  scope?: string;
  expiresInDays?: string;
  form?: string;
}

const errorText = 'mt-1 text-sm text-red-700 dark:text-red-300';
const hintText = 'mt-1 text-xs text-slate-600 dark:text-slate-400';

/** Creates a key; the API's validation problems are shown at the fields they concern. */
export function McpKeyForm({ onCreated }: { onCreated: (created: CreatedMcpKey) => void }) {
  const id = useId();
  const creating = useCreateMcpKey();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<McpKeyScope>('write');
  const [expiry, setExpiry] = useState<Expiry>('90');
  const [days, setDays] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const nameRef = useRef<HTMLInputElement>(null);
  const daysRef = useRef<HTMLInputElement>(null);
  const expiryRef = useRef<HTMLSelectElement>(null);
  const scopeRef = useRef<HTMLInputElement>(null);
  const formErrorRef = useRef<HTMLDivElement>(null);

  const clear = (field: keyof Errors) =>
    setErrors((prev) => (prev[field] || prev.form ? { ...prev, [field]: undefined, form: undefined } : prev));

  // After errors are shown, the first field in error gets the focus (its message is its description).
  const focusFirstError = useRef(false);
  useEffect(() => {
    if (!focusFirstError.current) return;
    focusFirstError.current = false;
    const target = errors.name
      ? nameRef.current
      : errors.scope
        ? scopeRef.current
        : errors.expiresInDays
          ? (daysRef.current ?? expiryRef.current)
          : formErrorRef.current;
    target?.focus();
  }, [errors]);

  function show(next: Errors) {
    focusFirstError.current = true;
    setErrors(next);
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (creating.isPending) return;
    const local: Errors = {};
    if (!name.trim()) local.name = 'Enter a name, so you can tell this key apart later.';
    const expiresInDays = expiry === 'never' ? undefined : Number(expiry === 'custom' ? days : expiry);
    if (expiry === 'custom' && (!days.trim() || !Number.isFinite(expiresInDays)))
      local.expiresInDays = 'Enter a number of days, from 1 to 366.';
    if (Object.keys(local).length > 0) return show(local);
    try {
      const created = await creating.mutateAsync({ name: name.trim(), scope, expiresInDays });
      setName('');
      setScope('write');
      setExpiry('90');
      setDays('');
      setErrors({});
      onCreated(created);
    } catch (error) {
      const fields: Errors = {
        name: fieldError(error, 'name'),
        scope: fieldError(error, 'scope'),
        expiresInDays: fieldError(error, 'expiresInDays'),
      };
      const known = Object.values(fields).some(Boolean);
      const others = error instanceof ApiError && !known ? error.errors.map((e) => e.message) : [];
      show(known ? fields : { form: [errorMessage(error), ...others].join(' ') });
    }
  }

  const describe = (field: keyof Errors, hint?: string) =>
    [hint, errors[field] ? `${id}-${field}-error` : undefined].filter(Boolean).join(' ') || undefined;

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby={`${id}-title`} className="space-y-4">
      <h3 id={`${id}-title`} className="text-sm font-semibold">
        Create a key
      </h3>
      <div>
        <label htmlFor={`${id}-name`} className="block text-sm font-medium">
          Name
        </label>
        <input
          ref={nameRef}
          id={`${id}-name`}
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            clear('name');
          }}
          maxLength={64}
          autoComplete="off"
          placeholder="e.g. Laptop – VS Code"
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={describe('name', `${id}-name-hint`)}
          className={`${inputClass} mt-1 w-full`}
        />
        <p id={`${id}-name-hint`} className={hintText}>
          Where you will use it. Up to 64 characters.
        </p>
        {errors.name && (
          <p id={`${id}-name-error`} className={errorText}>
            {errors.name}
          </p>
        )}
      </div>

      <fieldset aria-describedby={describe('scope')}>
        <legend className="text-sm font-medium">Access</legend>
        <div className="mt-1 grid gap-2 sm:grid-cols-2">
          {SCOPES.map((option, index) => (
            <label
              key={option.value}
              className="flex cursor-pointer gap-2 rounded-lg border border-slate-300 p-2.5 text-sm has-[:checked]:border-indigo-500 has-[:checked]:bg-indigo-50 dark:border-slate-700 dark:has-[:checked]:bg-indigo-950/50"
            >
              <input
                ref={index === 0 ? scopeRef : undefined}
                type="radio"
                name={`${id}-scope`}
                value={option.value}
                checked={scope === option.value}
                onChange={() => {
                  setScope(option.value);
                  clear('scope');
                }}
                aria-describedby={`${id}-scope-${option.value}`}
                className="mt-0.5 accent-indigo-600"
              />
              <span>
                <span className="block font-medium">{option.label}</span>
                <span
                  id={`${id}-scope-${option.value}`}
                  className="block text-xs text-slate-600 dark:text-slate-400"
                >
                  {option.hint}
                </span>
              </span>
            </label>
          ))}
        </div>
        {errors.scope && (
          <p id={`${id}-scope-error`} className={errorText}>
            {errors.scope}
          </p>
        )}
      </fieldset>

      <div className="flex flex-wrap items-start gap-3">
        <div>
          <label htmlFor={`${id}-expiry`} className="block text-sm font-medium">
            Expires
          </label>
          <select
            ref={expiryRef}
            id={`${id}-expiry`}
            value={expiry}
            onChange={(e) => {
              setExpiry(e.target.value as Expiry);
              clear('expiresInDays');
            }}
            aria-invalid={errors.expiresInDays && expiry !== 'custom' ? true : undefined}
            aria-describedby={expiry === 'custom' ? undefined : describe('expiresInDays')}
            className={`${inputClass} mt-1`}
          >
            {EXPIRY_CHOICES.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
        {expiry === 'custom' && (
          <div>
            <label htmlFor={`${id}-days`} className="block text-sm font-medium">
              Days until it expires
            </label>
            <input
              ref={daysRef}
              id={`${id}-days`}
              type="number"
              inputMode="numeric"
              min={1}
              max={366}
              step={1}
              value={days}
              onChange={(e) => {
                setDays(e.target.value);
                clear('expiresInDays');
              }}
              aria-invalid={errors.expiresInDays ? true : undefined}
              aria-describedby={describe('expiresInDays', `${id}-days-hint`)}
              className={`${inputClass} mt-1 w-28`}
            />
            <p id={`${id}-days-hint`} className={hintText}>
              1 to 366
            </p>
          </div>
        )}
      </div>
      {errors.expiresInDays && (
        <p id={`${id}-expiresInDays-error`} className={errorText}>
          {errors.expiresInDays}
        </p>
      )}

      {errors.form && (
        <div
          ref={formErrorRef}
          tabIndex={-1}
          role="alert"
          className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
        >
          The key was not created. {errors.form}
        </div>
      )}

      <button type="submit" disabled={creating.isPending} className={primaryButton}>
        {creating.isPending ? 'Creating…' : 'Create key'}
      </button>
    </form>
  );
}
