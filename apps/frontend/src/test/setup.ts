import { ReadableStream, TextDecoderStream, TransformStream, WritableStream } from 'node:stream/web';
import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => {
  cleanup();
});

// findBy*/waitFor wait up to 10 s instead of 1 s: on a busy two-core machine a streamed reply or a
// lazily loaded chunk can take seconds, and a test that only fails when the machine is loaded is
// a failing test (each test's own limit is 30 s, see vitest.config.ts)
configure({ asyncUtilTimeout: 10_000 });

// jsdom lacks these; assistant-ui's viewport uses them for auto-scroll
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;
Element.prototype.scrollTo ??= () => {};

// vitest's vmThreads pool builds the jsdom context without Node's web-stream globals
// (the fetch mock answers with stream bodies, which the chat stream reads).
const webStreams = { TransformStream, TextDecoderStream, ReadableStream, WritableStream };
for (const [name, value] of Object.entries(webStreams)) {
  (globalThis as Record<string, unknown>)[name] ??= value;
}

// jsdom has <dialog> but not its methods: opening sets `open` (jsdom's stylesheet then shows it),
// closing removes it and fires `close`, as browsers do (the focus trap and inertness are theirs).
if (typeof HTMLDialogElement !== 'undefined' && !HTMLDialogElement.prototype.showModal) {
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.show = HTMLDialogElement.prototype.showModal;
  HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement, returnValue?: string) {
    if (!this.hasAttribute('open')) return;
    this.removeAttribute('open');
    if (returnValue !== undefined) this.returnValue = returnValue;
    this.dispatchEvent(new Event('close'));
  };
}
