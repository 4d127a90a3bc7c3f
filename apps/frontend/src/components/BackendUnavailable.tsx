export function BackendUnavailable() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div
        role="alert"
        className="max-w-md rounded-2xl border border-amber-200 bg-white p-8 text-center shadow-sm dark:border-amber-900 dark:bg-slate-900"
      >
        <p aria-hidden="true" className="text-4xl">
          ☁
        </p>
        <h1 className="mt-3 text-xl font-semibold">We can’t reach the server right now</h1>
        <p className="mt-2 text-slate-600 dark:text-slate-300">
          The task service is starting up or temporarily unavailable. Your tasks are safe; please try again in
          a moment.
        </p>
        <a
          href="/"
          className="mt-6 inline-block rounded-lg bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          Try again
        </a>
      </div>
    </main>
  );
}
