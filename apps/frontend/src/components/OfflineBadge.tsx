/** Marks the assistant as the built-in offline model (no OpenAI key configured). */
export function OfflineBadge() {
  return (
    <span
      className="whitespace-nowrap rounded-full border border-amber-300 bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
      title="The built-in offline model answers: it understands everyday task phrasing."
    >
      Offline assistant
    </span>
  );
}
