'use client';

import type { Priority, Task, UpdateTaskInput } from '@todo/contracts';
import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { dateInputToIso, describeDue, isoToDateInput, parseTags } from '@/lib/dates';
import { DueDateField, PriorityField, TagsField, TitleField } from './TaskFields';
import { ghostButton, PRIORITY_STYLE, primaryButton } from './ui';

const RELATIVE = new Set(['Today', 'Tomorrow', 'Yesterday']);

interface Props {
  task: Task;
  onToggle: (task: Task) => void;
  onEdit: (task: Task, patch: UpdateTaskInput) => Promise<boolean>;
  onDelete: (task: Task) => void;
}

function EditRow({ task, onDone, onEdit }: { task: Task; onDone: () => void; onEdit: Props['onEdit'] }) {
  const id = useId();
  const [title, setTitle] = useState(task.title);
  const [priority, setPriority] = useState<Priority>(task.priority);
  const [due, setDue] = useState(isoToDateInput(task.dueAt));
  const [tags, setTags] = useState(task.tags.join(', '));
  const titleRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    titleRef.current?.focus();
    titleRef.current?.select();
  }, []);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) return;
    const patch: UpdateTaskInput = {};
    if (trimmed !== task.title) patch.title = trimmed;
    if (priority !== task.priority) patch.priority = priority;
    const dueAt = dateInputToIso(due);
    if (isoToDateInput(dueAt) !== isoToDateInput(task.dueAt)) patch.dueAt = dueAt;
    const tagList = parseTags(tags);
    if (tagList.join(',') !== task.tags.join(',')) patch.tags = tagList;
    onDone();
    if (Object.keys(patch).length > 0) await onEdit(task, patch);
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape') {
      event.preventDefault();
      onDone();
    }
  }

  return (
    <form
      onSubmit={onSubmit}
      onKeyDown={onKeyDown}
      aria-label={`Edit “${task.title}”`}
      className="flex w-full flex-col gap-2"
    >
      <TitleField
        id={`${id}-title`}
        label="Title"
        inputRef={titleRef}
        value={title}
        onChange={setTitle}
        required
        className="w-full"
      />
      <div className="flex flex-wrap gap-2">
        <PriorityField id={`${id}-priority`} value={priority} onChange={setPriority} />
        <DueDateField id={`${id}-due`} value={due} onChange={setDue} />
        <TagsField id={`${id}-tags`} value={tags} onChange={setTags} className="min-w-0 flex-1" />
      </div>
      <div className="flex gap-2">
        <button type="submit" className={primaryButton}>
          Save
        </button>
        <button type="button" onClick={onDone} className={ghostButton}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function TaskItem({ task, onToggle, onEdit, onDelete }: Props) {
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  const checkboxId = useId();
  const pending = task.id.startsWith('temp-');

  useEffect(() => {
    if (wasEditing.current && !editing) editButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  const due = task.dueAt ? describeDue(task.dueAt) : null;

  return (
    <li
      data-testid="task-item"
      data-task-title={task.title}
      data-completed={task.completed ? 'true' : 'false'}
      aria-busy={pending || undefined}
      className={`flex items-start gap-3 rounded-xl border border-slate-200 bg-white px-3 py-2.5 shadow-sm transition-opacity dark:border-slate-800 dark:bg-slate-900 ${pending ? 'opacity-70' : ''}`}
    >
      {editing ? (
        <EditRow task={task} onEdit={onEdit} onDone={() => setEditing(false)} />
      ) : (
        <>
          <input
            id={checkboxId}
            type="checkbox"
            checked={task.completed}
            disabled={pending}
            onChange={() => onToggle(task)}
            className="mt-1 h-5 w-5 shrink-0 cursor-pointer accent-indigo-600"
          />
          <div className="min-w-0 flex-1">
            <label
              htmlFor={checkboxId}
              className={`block cursor-pointer break-words ${task.completed ? 'text-slate-500 line-through dark:text-slate-400' : ''}`}
            >
              <span className="sr-only">{task.completed ? 'Done: ' : 'Open: '}</span>
              {task.title}
            </label>
            {task.description && (
              <p className="mt-0.5 text-sm break-words text-slate-600 dark:text-slate-400">
                {task.description}
              </p>
            )}
            <div className="mt-1 flex flex-wrap items-center gap-1.5 text-xs">
              <span
                className={`rounded-full px-2 py-0.5 font-medium ring-1 ${PRIORITY_STYLE[task.priority]}`}
              >
                {task.priority[0]?.toUpperCase()}
                {task.priority.slice(1)}
                <span className="sr-only"> priority</span>
              </span>
              {due && (
                <span
                  className={
                    due.overdue && !task.completed
                      ? 'font-medium text-red-700 dark:text-red-300'
                      : 'text-slate-600 dark:text-slate-400'
                  }
                >
                  Due {RELATIVE.has(due.label) ? due.label.toLowerCase() : due.label}
                  {due.overdue && !task.completed ? ' · overdue' : ''}
                </span>
              )}
              {task.tags.map((tag) => (
                <span
                  key={tag}
                  className="rounded-full bg-indigo-50 px-2 py-0.5 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200"
                >
                  #{tag}
                </span>
              ))}
            </div>
          </div>
          <div className="flex shrink-0 gap-1">
            <button
              ref={editButton}
              type="button"
              disabled={pending}
              onClick={() => setEditing(true)}
              aria-label={`Edit “${task.title}”`}
              className={ghostButton}
            >
              Edit
            </button>
            <button
              type="button"
              disabled={pending}
              onClick={() => onDelete(task)}
              aria-label={`Delete “${task.title}”`}
              className={`${ghostButton} hover:bg-red-50 hover:text-red-700 dark:hover:bg-red-950 dark:hover:text-red-300`}
            >
              Delete
            </button>
          </div>
        </>
      )}
    </li>
  );
}
