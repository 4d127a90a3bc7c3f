import * as webStreams from 'node:stream/web';
import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => {
  cleanup();
});

// jsdom lacks these; assistant-ui's viewport uses them for auto-scroll
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;
Element.prototype.scrollTo ??= () => {};

// vitest's vmThreads pool builds the jsdom context without Node's web-stream globals
// (the fetch mock answers with stream bodies, which the chat stream reads).
for (const name of ['TransformStream', 'TextDecoderStream', 'ReadableStream', 'WritableStream'] as const) {
  (globalThis as Record<string, unknown>)[name] ??= webStreams[name];
}
