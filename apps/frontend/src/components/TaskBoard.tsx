'use client';

import type { Priority, Status } from '@todo/contracts';
import { useEffect, useId, useMemo, useState } from 'react';
import type { TaskFilters } from '@/lib/api';
import { useTasks } from '@/lib/use-tasks';
import { AddTaskForm } from './AddTaskForm';
import { TaskItem } from './TaskItem';
import { ghostButton, inputClass } from './ui';

const STATUSES: { value: Status; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'open', label: 'Open' },
  { value: 'done', label: 'Done' },
];

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function Skeleton() {
  return (
    <ul aria-hidden="true" className="space-y-2">
      {[0, 1, 2].map((i) => (
        <li key={i} className="h-16 animate-pulse rounded-xl bg-slate-200/70 dark:bg-slate-800/70" />
      ))}
    </ul>
  );
}

export function TaskBoard({ refreshKey }: { refreshKey: number }) {
  const id = useId();
  const [status, setStatus] = useState<Status>('all');
  const [priority, setPriority] = useState<Priority | ''>('');
  const [tag, setTag] = useState('');
  const [search, setSearch] = useState('');
  const q = useDebounced(search, 250);
  const filters = useMemo<TaskFilters>(() => ({ status, priority, tag, q }), [status, priority, tag, q]);
  const board = useTasks(filters, refreshKey);
  const filtered = status !== 'all' || priority !== '' || tag !== '' || q.trim() !== '';
  const openCount = board.tasks.filter((t) => !t.completed).length;

  return (
    <section aria-labelledby={`${id}-heading`} className="flex min-h-0 flex-col gap-4">
      <div className="flex items-baseline justify-between gap-2">
        <h2 id={`${id}-heading`} className="text-lg font-semibold">
          Tasks
        </h2>
        {board.status === 'ready' && (
          <p className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
            {openCount} open · {board.tasks.length - openCount} done
          </p>
        )}
      </div>

      <AddTaskForm onAdd={board.add} />

      <fieldset className="flex flex-wrap items-center gap-2">
        <legend className="sr-only">Filter tasks</legend>
        <fieldset className="inline-flex rounded-lg bg-slate-200/70 p-0.5 dark:bg-slate-800">
          <legend className="sr-only">Status</legend>
          {STATUSES.map((s) => (
            <button
              key={s.value}
              type="button"
              aria-pressed={status === s.value}
              onClick={() => setStatus(s.value)}
              className={`rounded-md px-3 py-1 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-600 ${
                status === s.value
                  ? 'bg-white text-slate-900 shadow-sm dark:bg-slate-950 dark:text-slate-100'
                  : 'text-slate-700 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white'
              }`}
            >
              {s.label}
            </button>
          ))}
        </fieldset>
        <label htmlFor={`${id}-priority`} className="sr-only">
          Filter by priority
        </label>
        <select
          id={`${id}-priority`}
          value={priority}
          onChange={(e) => setPriority(e.target.value as Priority | '')}
          className={`${inputClass} py-1.5`}
        >
          <option value="">Any priority</option>
          <option value="high">High</option>
          <option value="medium">Medium</option>
          <option value="low">Low</option>
        </select>
        <label htmlFor={`${id}-tag`} className="sr-only">
          Filter by tag
        </label>
        <select
          id={`${id}-tag`}
          value={tag}
          onChange={(e) => setTag(e.target.value)}
          className={`${inputClass} py-1.5`}
        >
          <option value="">Any tag</option>
          {board.knownTags.map((t) => (
            <option key={t} value={t}>
              #{t}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-search`} className="sr-only">
          Search tasks
        </label>
        <input
          id={`${id}-search`}
          type="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder="Search…"
          className={`${inputClass} min-w-32 flex-1 py-1.5`}
        />
      </fieldset>

      {board.actionError && (
        <div
          role="alert"
          className="flex items-start gap-2 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
        >
          <span className="flex-1">{board.actionError}</span>
          <button type="button" className="underline" onClick={board.dismissError}>
            Dismiss
          </button>
        </div>
      )}

      <div className="min-h-0 flex-1" aria-busy={board.status === 'loading'}>
        {board.status === 'loading' && (
          <>
            <p className="sr-only" role="status">
              Loading tasks…
            </p>
            <Skeleton />
          </>
        )}
        {board.status === 'error' && (
          <div
            role="alert"
            className="rounded-xl border border-red-200 bg-red-50 p-4 text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100"
          >
            <p className="font-medium">Your tasks could not be loaded.</p>
            <p className="mt-1 text-sm">{board.loadError}</p>
            <button
              type="button"
              onClick={() => void board.reload()}
              className={`${ghostButton} mt-2 underline`}
            >
              Retry
            </button>
          </div>
        )}
        {board.status === 'ready' && board.tasks.length === 0 && (
          <div className="rounded-xl border border-dashed border-slate-300 p-8 text-center dark:border-slate-700">
            {filtered ? (
              <p className="text-slate-600 dark:text-slate-400">No tasks match these filters.</p>
            ) : (
              <>
                <p className="font-medium">No tasks yet</p>
                <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
                  Add one above, or ask the assistant: “add buy milk tomorrow”.
                </p>
              </>
            )}
          </div>
        )}
        {board.status === 'ready' && board.tasks.length > 0 && (
          <ul aria-label="Task list" className="space-y-2">
            {board.tasks.map((task) => (
              <TaskItem
                key={task.id}
                task={task}
                onToggle={(t) => void board.toggle(t)}
                onEdit={board.edit}
                onDelete={board.remove}
              />
            ))}
          </ul>
        )}
        {board.status === 'ready' && board.hasMore && (
          <div className="mt-3 flex justify-center">
            <button
              type="button"
              onClick={() => void board.loadMore()}
              disabled={board.loadingMore}
              className={`${ghostButton} ring-1 ring-slate-300 dark:ring-slate-700`}
            >
              {board.loadingMore ? 'Loading…' : 'Show more tasks'}
            </button>
          </div>
        )}
      </div>

      <div
        aria-live="polite"
        className="pointer-events-none fixed inset-x-0 bottom-4 z-20 flex justify-center px-4"
      >
        {board.pendingDelete && (
          <div
            role="status"
            className="pointer-events-auto flex items-center gap-3 rounded-xl bg-slate-900 px-4 py-2.5 text-sm text-white shadow-lg dark:bg-slate-100 dark:text-slate-900"
          >
            <span>
              Deleted “<span className="font-medium">{board.pendingDelete.task.title}</span>”
            </span>
            <button
              type="button"
              onClick={board.undo}
              className="rounded-md px-2 py-1 font-semibold text-indigo-300 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-400 dark:text-indigo-700"
            >
              Undo
            </button>
          </div>
        )}
      </div>
    </section>
  );
}
