'use client';

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <main
      className="flex min-h-screen flex-col items-center justify-center gap-4 px-4 text-center"
      role="alert"
    >
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="text-slate-600 dark:text-slate-300">
        Please try again. If it keeps happening, reload the page.
      </p>
      <button
        type="button"
        onClick={reset}
        className="rounded-lg bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500"
      >
        Try again
      </button>
    </main>
  );
}
