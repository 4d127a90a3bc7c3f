'use client';

import type { CreatedMcpKey } from '@todo/contracts';
import { useEffect, useId, useRef, useState } from 'react';
import { CONFIG_FORMATS, type ConfigFormat, mcpConfig } from '@/lib/mcp-config';
import { CopyButton } from './CopyButton';
import { inputClass, primaryButton } from './ui';

/**
 * The one time a key is shown: the key with a copy button, and a configuration to paste into
 * the client (this origin's endpoint and the Authorization header). Nothing of it is kept once
 * the user is done: the secret lives in this component's props only.
 */
export function McpNewKey({
  created,
  endpoint,
  onDone,
}: {
  created: CreatedMcpKey;
  endpoint: string;
  onDone: () => void;
}) {
  const id = useId();
  const [format, setFormat] = useState<ConfigFormat>('mcpServers');
  const headingRef = useRef<HTMLHeadingElement>(null);
  const keyRef = useRef<HTMLInputElement>(null);
  const configRef = useRef<HTMLTextAreaElement>(null);
  const config = mcpConfig(format, endpoint, created.key);
  const chosen = CONFIG_FORMATS.find((f) => f.id === format);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  return (
    <section
      aria-labelledby={`${id}-title`}
      className="space-y-4 rounded-xl border-2 border-emerald-600/70 bg-emerald-50/60 p-4 dark:border-emerald-500/60 dark:bg-emerald-950/30"
    >
      <div>
        <h3 ref={headingRef} id={`${id}-title`} tabIndex={-1} className="font-semibold focus:outline-none">
          Your new key “{created.name}”
        </h3>
        <p className="mt-1 text-sm text-slate-700 dark:text-slate-300">
          <strong>Copy it now: this is the only time it is shown.</strong> Store it in your MCP client; if you
          lose it, revoke it and create another.
        </p>
      </div>

      <div>
        <label htmlFor={`${id}-key`} className="block text-sm font-medium">
          MCP key ({created.scope === 'write' ? 'read and change tasks' : 'read only'})
        </label>
        <div className="mt-1 flex flex-wrap gap-2">
          <input
            ref={keyRef}
            id={`${id}-key`}
            readOnly
            value={created.key}
            onFocus={(e) => e.currentTarget.select()}
            spellCheck={false}
            autoComplete="off"
            className={`${inputClass} min-w-0 flex-1 font-mono`}
          />
          <CopyButton text={created.key} label="Copy key" what="Key" source={keyRef} />
        </div>
      </div>

      <div>
        <div className="flex flex-wrap items-end justify-between gap-2">
          <div>
            <label htmlFor={`${id}-format`} className="block text-sm font-medium">
              Client configuration
            </label>
            <select
              id={`${id}-format`}
              value={format}
              onChange={(e) => setFormat(e.target.value as ConfigFormat)}
              aria-describedby={`${id}-format-hint`}
              className={`${inputClass} mt-1 py-1.5`}
            >
              {CONFIG_FORMATS.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.label}
                </option>
              ))}
            </select>
          </div>
          <CopyButton text={config} label="Copy configuration" what="Configuration" source={configRef} />
        </div>
        <p id={`${id}-format-hint`} className="mt-1 text-xs text-slate-600 dark:text-slate-400">
          {chosen?.hint}
        </p>
        <label htmlFor={`${id}-config`} className="sr-only">
          {chosen?.label} configuration to paste
        </label>
        <textarea
          ref={configRef}
          id={`${id}-config`}
          readOnly
          value={config}
          rows={config.split('\n').length}
          wrap="off"
          spellCheck={false}
          onFocus={(e) => e.currentTarget.select()}
          className="mt-2 block max-h-64 w-full resize-none overflow-auto rounded-lg bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:bg-slate-950"
        />
      </div>

      <button type="button" onClick={onDone} className={primaryButton}>
        Done, I have stored it
      </button>
    </section>
  );
}
