'use client';

import { type RefObject, useEffect, useRef, useState } from 'react';
import { ghostButton } from './ui';

function selectContents(element: HTMLElement) {
  if (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) {
    element.focus();
    element.select();
    return;
  }
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
}

/**
 * The Clipboard API, or, where the page has none (plain http on an address other than localhost
 * is not a secure context), the selected text of `fallback` and the older copy command.
 */
export async function copyText(text: string, fallback?: HTMLElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // refused (no permission, page not focused): try the selection below
  }
  if (!fallback) return false;
  selectContents(fallback);
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

type State = 'idle' | 'copied' | 'failed';

/** A copy button that says what happened, to sighted users and to screen readers alike. */
export function CopyButton({
  text,
  label,
  what,
  source,
  className = '',
}: {
  text: string;
  /** The button's text, e.g. "Copy key". */
  label: string;
  /** What is copied, for the announcement: "Key", "Configuration". */
  what: string;
  /** The element showing `text`, selected when the clipboard cannot be written. */
  source?: RefObject<HTMLElement | null>;
  className?: string;
}) {
  const [state, setState] = useState<State>('idle');
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  async function copy() {
    const ok = await copyText(text, source?.current);
    setState(ok ? 'copied' : 'failed');
    clearTimeout(timer.current);
    if (ok) timer.current = setTimeout(() => setState('idle'), 2500);
  }

  return (
    <>
      <button
        type="button"
        onClick={() => void copy()}
        className={`${ghostButton} shrink-0 ring-1 ring-slate-300 dark:ring-slate-700 ${className}`}
      >
        {state === 'copied' ? (
          <>
            Copied <span aria-hidden="true">✓</span>
          </>
        ) : (
          label
        )}
      </button>
      <span
        role="status"
        className={state === 'failed' ? 'basis-full text-sm text-red-700 dark:text-red-300' : 'sr-only'}
      >
        {state === 'copied'
          ? `${what} copied to the clipboard.`
          : state === 'failed'
            ? `${what} could not be copied automatically: it is selected, press Ctrl+C (⌘C on a Mac).`
            : ''}
      </span>
    </>
  );
}
