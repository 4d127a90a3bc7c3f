'use client';

import type { CreatedMcpKey } from '@todo/contracts';
import { useEffect, useId, useRef, useState } from 'react';
import { mcpEndpoint } from '@/lib/mcp-config';
import { CopyButton } from './CopyButton';
import { McpKeyForm } from './McpKeyForm';
import { McpKeyList } from './McpKeyList';
import { McpNewKey } from './McpNewKey';
import { inputClass } from './ui';

/**
 * "Connect an MCP client": a modal <dialog> (the browser keeps focus inside, makes the page
 * behind it inert and closes it on Escape) with this origin's MCP endpoint, the user's keys, and
 * a form that creates one and shows it once. Loaded only when first opened.
 */
export function McpDialog({ onClose }: { onClose: () => void }) {
  const id = useId();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const endpointRef = useRef<HTMLInputElement>(null);
  const [created, setCreated] = useState<CreatedMcpKey | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const endpoint = mcpEndpoint(window.location.origin);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    titleRef.current?.focus();
    return () => {
      if (dialog.open) dialog.close();
    };
  }, []);

  function done() {
    setCreated(null);
    titleRef.current?.focus();
  }

  return (
    <dialog
      ref={dialogRef}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-intro`}
      onClose={onClose}
      className="m-auto max-h-[calc(100dvh-2rem)] w-[min(44rem,calc(100vw-2rem))] max-w-none overflow-y-auto rounded-2xl border border-slate-200 bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-950/60 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-100"
    >
      <div className="sticky top-0 z-10 flex items-center gap-3 border-b border-slate-200 bg-white px-5 py-3 dark:border-slate-800 dark:bg-slate-900">
        <h2
          ref={titleRef}
          id={`${id}-title`}
          tabIndex={-1}
          className="text-base font-semibold focus:outline-none"
        >
          Connect an MCP client
        </h2>
        <button
          type="button"
          onClick={() => dialogRef.current?.close()}
          aria-label="Close"
          className="ml-auto inline-flex h-9 w-9 items-center justify-center rounded-lg text-xl text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:text-slate-200 dark:hover:bg-slate-800"
        >
          <span aria-hidden="true">×</span>
        </button>
      </div>

      <div className="space-y-6 px-5 py-4">
        <div className="space-y-3">
          <p id={`${id}-intro`} className="text-sm text-slate-700 dark:text-slate-300">
            Let an MCP client (an IDE, a desktop assistant) work with your tasks. Give it a key, never your
            password: a key opens the task tools only, not your chats or your account, and you can revoke it
            at any time.
          </p>
          <div>
            <label htmlFor={`${id}-endpoint`} className="block text-sm font-medium">
              Server URL (Streamable HTTP)
            </label>
            <div className="mt-1 flex flex-wrap items-center gap-2">
              <input
                ref={endpointRef}
                id={`${id}-endpoint`}
                readOnly
                value={endpoint}
                onFocus={(e) => e.currentTarget.select()}
                spellCheck={false}
                className={`${inputClass} min-w-0 flex-1 font-mono`}
              />
              <CopyButton text={endpoint} label="Copy URL" what="Server URL" source={endpointRef} />
            </div>
            <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
              Clients send the key as <code className="font-mono">Authorization: Bearer &lt;key&gt;</code>.
            </p>
          </div>
        </div>

        {created && <McpNewKey created={created} endpoint={endpoint} onDone={done} />}

        <McpKeyList announce={setAnnouncement} />

        {!created && (
          <McpKeyForm
            onCreated={(key) => {
              setAnnouncement('');
              setCreated(key);
            }}
          />
        )}

        <p aria-live="polite" className="sr-only">
          {announcement}
        </p>
      </div>
    </dialog>
  );
}
