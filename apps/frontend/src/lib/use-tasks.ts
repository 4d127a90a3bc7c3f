'use client';

import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateTaskInput, Task, UpdateTaskInput } from '@todo/contracts';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api, type TaskFilters } from './api';
import {
  flattenPages,
  forgetTask,
  removeTask,
  replaceOrPrepend,
  type TaskListKey,
  type TaskPages,
  taskKeys,
  temporaryTask,
  updateTask,
} from './task-cache';

// The board's state on TanStack Query: one infinite query per filter (cursor pages), optimistic
// mutations that roll back the one task they touched, and a quiet refetch of every loaded page
// when the assistant changed tasks. Kept by hand: the undo window of a delete (a timer, not a
// server state) and the tags seen so far (they outlive a filter's cache).

export const UNDO_MS = 6000;

export interface PendingDelete {
  task: Task;
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
  reload: () => Promise<void>;
  add: (task: CreateTaskInput) => Promise<boolean>;
  toggle: (task: Task) => Promise<void>;
  edit: (task: Task, patch: UpdateTaskInput) => Promise<boolean>;
  remove: (task: Task) => void;
  undo: () => void;
  dismissError: () => void;
}

const message = (error: unknown) =>
  error instanceof ApiError ? error.message : 'Something went wrong. Please try again.';

/** What a mutation's rollback needs: the list it changed (the filters may change meanwhile). */
interface Touched {
  key: TaskListKey;
}

export function useTasks(filters: TaskFilters, refreshKey: number): TasksState {
  const client = useQueryClient();
  const key = taskKeys.list(filters);
  const [actionError, setActionError] = useState<string | null>(null);
  const [tags, setTags] = useState<ReadonlySet<string>>(new Set());
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [pendingDelete, setPendingDelete] = useState<PendingDelete | null>(null);
  const pendingRef = useRef<{ task: Task; timer: ReturnType<typeof setTimeout> } | null>(null);

  const query = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) => api.listTasks(filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    // While another filter loads, the list on screen stays (no skeleton after the first load).
    placeholderData: keepPreviousData,
    // A filter left behind is dropped, so coming back to it never shows tasks edited meanwhile.
    gcTime: 0,
  });

  const rememberTags = useCallback((list: readonly Task[]) => {
    setTags((prev) => {
      const next = new Set(prev);
      for (const task of list) for (const tag of task.tags) next.add(tag);
      return next.size === prev.size ? prev : next;
    });
  }, []);

  useEffect(() => {
    rememberTags(flattenPages(query.data));
  }, [query.data, rememberTags]);

  // The assistant changed tasks: refetch every page the user had loaded, without a skeleton.
  const { refetch, fetchNextPage } = query;
  const lastRefresh = useRef(refreshKey);
  useEffect(() => {
    if (refreshKey === lastRefresh.current) return;
    lastRefresh.current = refreshKey;
    void refetch().then((result) => {
      if (result.isError && result.data) setActionError(message(result.error));
    });
  }, [refreshKey, refetch]);

  const setList = useCallback(
    (listKey: TaskListKey, fn: (data: TaskPages | undefined) => TaskPages | undefined) =>
      client.setQueryData<TaskPages>(listKey, fn),
    [client],
  );

  const creating = useMutation({
    mutationFn: (input: CreateTaskInput) => api.createTask(input),
    onMutate: (input): Touched & { temp: Task } => {
      const temp = temporaryTask(input);
      setList(key, (data) => replaceOrPrepend(data, temp.id, temp));
      return { key, temp };
    },
    onSuccess: (created, _input, touched) => {
      setList(touched.key, (data) => replaceOrPrepend(data, touched.temp.id, created));
      rememberTags([created]);
    },
    onError: (error, _input, touched) => {
      if (touched) setList(touched.key, (data) => removeTask(data, touched.temp.id));
      setActionError(message(error));
    },
  });

  const completing = useMutation({
    mutationFn: ({ task, completed }: { task: Task; completed: boolean }) =>
      api.completeTask(task.id, completed),
    onMutate: ({ task, completed }): Touched => {
      setList(key, (data) => updateTask(data, task.id, (t) => ({ ...t, completed })));
      return { key };
    },
    onSuccess: (saved, _vars, touched) =>
      setList(touched.key, (data) => updateTask(data, saved.id, () => saved)),
    onError: (error, { task }, touched) => {
      if (touched)
        setList(touched.key, (data) =>
          updateTask(data, task.id, (t) => ({ ...t, completed: task.completed })),
        );
      setActionError(message(error));
    },
  });

  const editing = useMutation({
    mutationFn: ({ task, patch }: { task: Task; patch: UpdateTaskInput }) => api.updateTask(task.id, patch),
    onMutate: ({ task, patch }): Touched => {
      setList(key, (data) => updateTask(data, task.id, (t) => ({ ...t, ...patch })));
      return { key };
    },
    onSuccess: (saved, _vars, touched) => {
      setList(touched.key, (data) => updateTask(data, saved.id, () => saved));
      rememberTags([saved]);
    },
    onError: (error, { task }, touched) => {
      if (touched) setList(touched.key, (data) => updateTask(data, task.id, () => task));
      setActionError(message(error));
    },
  });

  const { mutateAsync: create } = creating;
  const { mutateAsync: complete } = completing;
  const { mutateAsync: save } = editing;

  const add = useCallback(
    async (input: CreateTaskInput) => {
      setActionError(null);
      return create(input).then(
        () => true,
        () => false,
      );
    },
    [create],
  );

  const toggle = useCallback(
    async (task: Task) => {
      setActionError(null);
      await complete({ task, completed: !task.completed }).catch(() => {});
    },
    [complete],
  );

  const edit = useCallback(
    async (task: Task, patch: UpdateTaskInput) => {
      setActionError(null);
      return save({ task, patch }).then(
        () => true,
        () => false,
      );
    },
    [save],
  );

  // Delete: hidden at once, sent when the undo window closes (or the page goes away); a failed
  // delete shows the task again with the reason.
  const show = useCallback((id: string) => {
    setHidden((prev) => {
      if (!prev.has(id)) return prev;
      const next = new Set(prev);
      next.delete(id);
      return next;
    });
  }, []);

  const flushDelete = useCallback(
    (keepalive = false) => {
      const pending = pendingRef.current;
      if (!pending) return;
      clearTimeout(pending.timer);
      pendingRef.current = null;
      setPendingDelete(null);
      const { id } = pending.task;
      api.deleteTask(id, keepalive).then(
        () => {
          forgetTask(client, id);
          show(id);
        },
        (error: unknown) => {
          show(id);
          setActionError(message(error));
        },
      );
    },
    [client, show],
  );

  useEffect(() => {
    const onHide = () => flushDelete(true);
    window.addEventListener('pagehide', onHide);
    return () => {
      window.removeEventListener('pagehide', onHide);
      flushDelete(true);
    };
  }, [flushDelete]);

  const remove = useCallback(
    (task: Task) => {
      flushDelete();
      setHidden((prev) => new Set(prev).add(task.id));
      const timer = setTimeout(() => flushDelete(), UNDO_MS);
      pendingRef.current = { task, timer };
      setPendingDelete({ task });
    },
    [flushDelete],
  );

  const undo = useCallback(() => {
    const pending = pendingRef.current;
    if (!pending) return;
    clearTimeout(pending.timer);
    pendingRef.current = null;
    setPendingDelete(null);
    show(pending.task.id);
  }, [show]);

  const loadMore = useCallback(async () => {
    const result = await fetchNextPage();
    if (result.isError) setActionError(message(result.error));
  }, [fetchNextPage]);

  const reload = useCallback(async () => {
    await refetch();
  }, [refetch]);

  const tasks = useMemo(
    () => flattenPages(query.data).filter((task) => !hidden.has(task.id)),
    [query.data, hidden],
  );
  // An error counts as the board's when nothing of this filter is on screen; a failed refetch
  // or next page of a shown list is reported as an action error instead (see above).
  const shownOwnData = query.data !== undefined && !query.isPlaceholderData;
  const failed = query.isError && !shownOwnData;
  const status: TasksState['status'] =
    failed && !query.isFetching ? 'error' : query.data === undefined || failed ? 'loading' : 'ready';

  return {
    tasks,
    status,
    loadError: failed ? message(query.error) : null,
    actionError,
    knownTags: [...tags].sort((a, b) => a.localeCompare(b)),
    pendingDelete,
    hasMore: shownOwnData && query.hasNextPage,
    loadingMore: query.isFetchingNextPage,
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
