import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-4 px-4 text-center">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <Link href="/" className="text-indigo-700 underline dark:text-indigo-300">
        Back to your tasks
      </Link>
    </main>
  );
}
