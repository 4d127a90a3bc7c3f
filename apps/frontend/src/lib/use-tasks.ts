'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api } from './api';
import type { NewTask, Task, TaskFilters, TaskPatch } from './types';

export const UNDO_MS = 6000;

export interface PendingDelete {
  task: Task;
  index: number;
}

export interface TasksState {
  tasks: Task[];
  status: 'loading' | 'ready' | 'error';
  loadError: string | null;
  actionError: string | null;
  knownTags: string[];
  pendingDelete: PendingDelete | null;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => Promise<void>;
  reload: (quiet?: boolean) => Promise<void>;
  add: (task: NewTask) => Promise<boolean>;
  toggle: (task: Task) => Promise<void>;
  edit: (task: Task, patch: TaskPatch) => Promise<boolean>;
  remove: (task: Task) => void;
  undo: () => void;
  dismissError: () => void;
}

const message = (error: unknown) =>
  error instanceof ApiError ? error.message : 'Something went wrong. Please try again.';

let tempCounter = 0;

export function useTasks(filters: TaskFilters, refreshKey: number): TasksState {
  const [tasks, setTasks] = useState<Task[]>([]);
  const [status, setStatus] = useState<TasksState['status']>('loading');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [tags, setTags] = useState<Set<string>>(new Set());
  const [pendingDelete, setPendingDelete] = useState<PendingDelete | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const pendingRef = useRef<{ task: Task; index: number; timer: ReturnType<typeof setTimeout> } | null>(null);
  const loadSeq = useRef(0);
  const loadedOnce = useRef(false);
  const shownCount = useRef(0);
  useEffect(() => {
    shownCount.current = tasks.length;
  }, [tasks]);

  const rememberTags = useCallback((list: Task[]) => {
    setTags((prev) => {
      const next = new Set(prev);
      for (const t of list) for (const tag of t.tags) next.add(tag);
      return next.size === prev.size ? prev : next;
    });
  }, []);

  const reload = useCallback(
    async (quiet = false) => {
      const seq = ++loadSeq.current;
      if (!quiet) setStatus((s) => (loadedOnce.current && s === 'ready' ? s : 'loading'));
      try {
        let { items, nextCursor: cursor } = await api.listTasks(filters);
        // A quiet refresh (the assistant changed tasks) keeps as many tasks on screen as the
        // user had paged in, instead of falling back to the first page.
        const keep = quiet ? shownCount.current : 0;
        while (cursor && items.length < keep) {
          const more = await api.listTasks(filters, cursor);
          if (seq !== loadSeq.current) return;
          items = [...items, ...more.items.filter((t) => !items.some((known) => known.id === t.id))];
          cursor = more.nextCursor;
        }
        if (seq !== loadSeq.current) return;
        setNextCursor(cursor);
        const hidden = pendingRef.current?.task.id;
        setTasks(hidden ? items.filter((t) => t.id !== hidden) : items);
        rememberTags(items);
        setStatus('ready');
        setLoadError(null);
        loadedOnce.current = true;
      } catch (error) {
        if (seq !== loadSeq.current) return;
        if (quiet && loadedOnce.current) {
          setActionError(message(error));
        } else {
          setLoadError(message(error));
          setStatus('error');
        }
      }
    },
    [filters, rememberTags],
  );

  useEffect(() => {
    void reload(refreshKey > 0 && loadedOnce.current);
  }, [reload, refreshKey]);

  const loadMore = useCallback(async () => {
    if (!nextCursor) return;
    const seq = loadSeq.current;
    setLoadingMore(true);
    try {
      const { items, nextCursor: cursor } = await api.listTasks(filters, nextCursor);
      if (seq !== loadSeq.current) return;
      setTasks((list) => [...list, ...items.filter((t) => !list.some((known) => known.id === t.id))]);
      rememberTags(items);
      setNextCursor(cursor);
    } catch (error) {
      setActionError(message(error));
    } finally {
      setLoadingMore(false);
    }
  }, [filters, nextCursor, rememberTags]);

  const flushDelete = useCallback((keepalive = false) => {
    const pending = pendingRef.current;
    if (!pending) return;
    clearTimeout(pending.timer);
    pendingRef.current = null;
    setPendingDelete(null);
    api.deleteTask(pending.task.id, keepalive).catch((error: unknown) => {
      setTasks((list) => (list.some((t) => t.id === pending.task.id) ? list : [pending.task, ...list]));
      setActionError(message(error));
    });
  }, []);

  useEffect(() => {
    const onHide = () => flushDelete(true);
    window.addEventListener('pagehide', onHide);
    return () => {
      window.removeEventListener('pagehide', onHide);
      flushDelete(true);
    };
  }, [flushDelete]);

  const add = useCallback(
    async (input: NewTask) => {
      const now = new Date().toISOString();
      const temp: Task = {
        id: `temp-${++tempCounter}`,
        title: input.title,
        description: input.description ?? '',
        completed: false,
        priority: input.priority ?? 'medium',
        tags: input.tags ?? [],
        dueAt: input.dueAt ?? null,
        createdAt: now,
        updatedAt: now,
      };
      setTasks((list) => [temp, ...list]);
      setActionError(null);
      try {
        const created = await api.createTask(input);
        setTasks((list) => list.map((t) => (t.id === temp.id ? created : t)));
        rememberTags([created]);
        return true;
      } catch (error) {
        setTasks((list) => list.filter((t) => t.id !== temp.id));
        setActionError(message(error));
        return false;
      }
    },
    [rememberTags],
  );

  const toggle = useCallback(async (task: Task) => {
    const completed = !task.completed;
    setTasks((list) => list.map((t) => (t.id === task.id ? { ...t, completed } : t)));
    setActionError(null);
    try {
      const saved = await api.completeTask(task.id, completed);
      setTasks((list) => list.map((t) => (t.id === task.id ? saved : t)));
    } catch (error) {
      setTasks((list) => list.map((t) => (t.id === task.id ? { ...t, completed: task.completed } : t)));
      setActionError(message(error));
    }
  }, []);

  const edit = useCallback(
    async (task: Task, patch: TaskPatch) => {
      setTasks((list) => list.map((t) => (t.id === task.id ? { ...t, ...patch } : t)));
      setActionError(null);
      try {
        const saved = await api.updateTask(task.id, patch);
        setTasks((list) => list.map((t) => (t.id === task.id ? saved : t)));
        rememberTags([saved]);
        return true;
      } catch (error) {
        setTasks((list) => list.map((t) => (t.id === task.id ? task : t)));
        setActionError(message(error));
        return false;
      }
    },
    [rememberTags],
  );

  const remove = useCallback(
    (task: Task) => {
      flushDelete();
      const index = Math.max(
        0,
        tasks.findIndex((t) => t.id === task.id),
      );
      setTasks((list) => list.filter((t) => t.id !== task.id));
      const timer = setTimeout(() => flushDelete(), UNDO_MS);
      pendingRef.current = { task, index, timer };
      setPendingDelete({ task, index });
    },
    [flushDelete, tasks],
  );

  const undo = useCallback(() => {
    const pending = pendingRef.current;
    if (!pending) return;
    clearTimeout(pending.timer);
    pendingRef.current = null;
    setPendingDelete(null);
    setTasks((list) =>
      list.some((t) => t.id === pending.task.id) ? list : list.toSpliced(pending.index, 0, pending.task),
    );
  }, []);

  return {
    tasks,
    status,
    loadError,
    actionError,
    knownTags: [...tags].sort((a, b) => a.localeCompare(b)),
    pendingDelete,
    hasMore: nextCursor !== null,
    loadingMore,
    loadMore,
    reload,
    add,
    toggle,
    edit,
    remove,
    undo,
    dismissError: () => setActionError(null),
  };
}
