'use client';

import type { McpKey } from '@todo/contracts';
import { type RefObject, useEffect, useId, useRef, useState } from 'react';
import { formatDay, formatMoment } from '@/lib/dates';
import { errorMessage, useMcpKeyList, useRevokeMcpKey } from '@/lib/use-mcp-keys';
import { ghostButton } from './ui';

const dangerButton =
  'rounded-lg bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-700 disabled:opacity-60';

function When({ iso, withTime = false }: { iso: string; withTime?: boolean }) {
  return (
    <time dateTime={iso} title={formatMoment(iso)}>
      {withTime ? formatMoment(iso) : formatDay(iso)}
    </time>
  );
}

/** Every key starts with this; first characters within it tell no two keys apart. */
const KEY_PREFIX = 'todo_mcp_';
const tellsApart = (start: string | null): start is string => !!start && !KEY_PREFIX.startsWith(start);

const isExpired = (key: McpKey) => key.expiresAt !== null && Date.parse(key.expiresAt) <= Date.now();

function McpKeyItem({
  mcpKey,
  announce,
  listHeading,
}: {
  mcpKey: McpKey;
  announce: (message: string) => void;
  listHeading: RefObject<HTMLHeadingElement | null>;
}) {
  const revoking = useRevokeMcpKey();
  const [confirming, setConfirming] = useState(false);
  const revokeRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const expired = isExpired(mcpKey);

  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
  }, [confirming]);

  function cancel() {
    setConfirming(false);
    requestFocus(revokeRef);
  }

  async function revoke() {
    const outcome = await revoking.mutateAsync(mcpKey).catch(() => null);
    if (!outcome) return; // the error is shown below; the key stays
    announce(
      outcome === 'revoked'
        ? `Revoked “${mcpKey.name}”. Clients using it can no longer reach your tasks.`
        : `“${mcpKey.name}” had already been revoked.`,
    );
    listHeading.current?.focus();
  }

  return (
    <li
      className="rounded-xl border border-slate-200 p-3 dark:border-slate-800"
      aria-busy={revoking.isPending || undefined}
    >
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <div className="min-w-0 flex-1">
          <h4 className="truncate font-medium" title={mcpKey.name}>
            {mcpKey.name}
          </h4>
          {tellsApart(mcpKey.start) && (
            <p className="font-mono text-xs text-slate-600 dark:text-slate-400">
              <span className="sr-only">Starts with </span>
              {mcpKey.start}…
            </p>
          )}
        </div>
        <span
          className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ${
            mcpKey.scope === 'write'
              ? 'bg-indigo-50 text-indigo-800 ring-indigo-200 dark:bg-indigo-950 dark:text-indigo-200 dark:ring-indigo-900'
              : 'bg-slate-100 text-slate-700 ring-slate-200 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-700'
          }`}
        >
          {mcpKey.scope === 'write' ? 'Read and change' : 'Read only'}
        </span>
        {!confirming && (
          <button
            ref={revokeRef}
            type="button"
            onClick={() => setConfirming(true)}
            aria-label={`Revoke “${mcpKey.name}”`}
            className={`${ghostButton} text-red-700 dark:text-red-300`}
          >
            Revoke
          </button>
        )}
      </div>
      <dl className="mt-2 flex flex-wrap gap-x-5 gap-y-1 text-xs text-slate-600 dark:text-slate-400">
        <div className="flex gap-1 whitespace-nowrap">
          <dt>Created</dt>
          <dd className="text-slate-900 dark:text-slate-100">
            <When iso={mcpKey.createdAt} />
          </dd>
        </div>
        <div className="flex gap-1 whitespace-nowrap">
          <dt>Last used</dt>
          <dd className="text-slate-900 dark:text-slate-100">
            {mcpKey.lastUsedAt ? <When iso={mcpKey.lastUsedAt} withTime /> : 'Never'}
          </dd>
        </div>
        <div className="flex gap-1 whitespace-nowrap">
          <dt>{expired ? 'Expired' : 'Expires'}</dt>
          <dd
            className={
              expired ? 'font-medium text-red-700 dark:text-red-300' : 'text-slate-900 dark:text-slate-100'
            }
          >
            {mcpKey.expiresAt ? <When iso={mcpKey.expiresAt} /> : 'Never'}
          </dd>
        </div>
      </dl>
      {confirming && (
        <fieldset
          onKeyDown={(e) => {
            // Escape takes back the confirmation, not the whole dialog
            if (e.key !== 'Escape' || revoking.isPending) return;
            e.preventDefault();
            e.stopPropagation();
            cancel();
          }}
          className="mt-3 rounded-lg border border-red-200 bg-red-50 p-3 dark:border-red-900 dark:bg-red-950/60"
        >
          <legend className="float-left w-full text-sm text-red-900 dark:text-red-100">
            Revoke “<span className="font-medium">{mcpKey.name}</span>”? Clients using it stop working at
            once. This cannot be undone.
          </legend>
          <div className="clear-both flex gap-2 pt-2">
            <button
              type="button"
              onClick={() => void revoke()}
              disabled={revoking.isPending}
              className={dangerButton}
            >
              {revoking.isPending ? 'Revoking…' : 'Revoke key'}
            </button>
            <button
              ref={cancelRef}
              type="button"
              onClick={cancel}
              disabled={revoking.isPending}
              className={`${ghostButton} ring-1 ring-slate-300 dark:ring-slate-700`}
            >
              Cancel
            </button>
          </div>
          {revoking.isError && (
            <p role="alert" className="mt-2 text-sm text-red-800 dark:text-red-200">
              The key was not revoked. {errorMessage(revoking.error)}
            </p>
          )}
        </fieldset>
      )}
    </li>
  );
}

/** Focus after the next paint, once a conditionally rendered element exists again. */
function requestFocus(ref: RefObject<HTMLElement | null>) {
  setTimeout(() => ref.current?.focus(), 0);
}

/** The user's keys (never their secrets), each revocable after a confirmation. */
export function McpKeyList({ announce }: { announce: (message: string) => void }) {
  const id = useId();
  const keys = useMcpKeyList();
  const headingRef = useRef<HTMLHeadingElement>(null);

  return (
    <section aria-labelledby={`${id}-title`} aria-busy={keys.isPending || undefined}>
      <h3
        ref={headingRef}
        id={`${id}-title`}
        tabIndex={-1}
        className="text-sm font-semibold focus:outline-none"
      >
        Your keys{keys.data ? ` (${keys.data.length})` : ''}
      </h3>
      {keys.isPending && (
        <p role="status" className="mt-2 text-sm text-slate-600 dark:text-slate-400">
          Loading your keys…
        </p>
      )}
      {keys.isError && !keys.data && (
        <div
          role="alert"
          className="mt-2 rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100"
        >
          <p>Your keys could not be loaded. {errorMessage(keys.error)}</p>
          <button
            type="button"
            onClick={() => void keys.refetch()}
            disabled={keys.isFetching}
            className={`${ghostButton} mt-1 underline`}
          >
            {keys.isFetching ? 'Retrying…' : 'Retry'}
          </button>
        </div>
      )}
      {keys.data?.length === 0 && (
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">No keys yet. Create one below.</p>
      )}
      {keys.data && keys.data.length > 0 && (
        <ul aria-label="MCP keys" className="mt-2 space-y-2">
          {keys.data.map((key) => (
            <McpKeyItem key={key.id} mcpKey={key} announce={announce} listHeading={headingRef} />
          ))}
        </ul>
      )}
    </section>
  );
}
