'use client';

import { type FormEvent, useId, useRef, useState } from 'react';
import { dateInputToIso, parseTags } from '@/lib/dates';
import type { NewTask, Priority } from '@/lib/types';
import { inputClass, primaryButton } from './ui';

export function AddTaskForm({ onAdd }: { onAdd: (task: NewTask) => Promise<boolean> }) {
  const id = useId();
  const [title, setTitle] = useState('');
  const [priority, setPriority] = useState<Priority>('medium');
  const [due, setDue] = useState('');
  const [tags, setTags] = useState('');
  const titleRef = useRef<HTMLInputElement>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) {
      titleRef.current?.focus();
      return;
    }
    const task: NewTask = { title: trimmed, priority, tags: parseTags(tags), dueAt: dateInputToIso(due) };
    setTitle('');
    setTags('');
    setDue('');
    setPriority('medium');
    titleRef.current?.focus();
    const ok = await onAdd(task);
    if (!ok) setTitle((current) => current || trimmed);
  }

  return (
    <form
      onSubmit={onSubmit}
      aria-label="Add a task"
      className="grid grid-cols-2 gap-2 sm:grid-cols-[1fr_auto_auto_10rem_auto]"
    >
      <div className="col-span-2 sm:col-span-1">
        <label htmlFor={`${id}-title`} className="sr-only">
          New task title
        </label>
        <input
          ref={titleRef}
          id={`${id}-title`}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          placeholder="Add a task…"
          maxLength={200}
          className={`${inputClass} w-full`}
        />
      </div>
      <div>
        <label htmlFor={`${id}-priority`} className="sr-only">
          Priority
        </label>
        <select
          id={`${id}-priority`}
          value={priority}
          onChange={(e) => setPriority(e.target.value as Priority)}
          className={`${inputClass} w-full`}
        >
          <option value="low">Low</option>
          <option value="medium">Medium</option>
          <option value="high">High</option>
        </select>
      </div>
      <div>
        <label htmlFor={`${id}-due`} className="sr-only">
          Due date
        </label>
        <input
          id={`${id}-due`}
          type="date"
          value={due}
          onChange={(e) => setDue(e.target.value)}
          className={`${inputClass} w-full`}
        />
      </div>
      <div className="col-span-2 sm:col-span-1">
        <label htmlFor={`${id}-tags`} className="sr-only">
          Tags, comma separated
        </label>
        <input
          id={`${id}-tags`}
          value={tags}
          onChange={(e) => setTags(e.target.value)}
          placeholder="Tags"
          className={`${inputClass} w-full`}
        />
      </div>
      <button type="submit" className={`${primaryButton} col-span-2 sm:col-span-1`}>
        Add
      </button>
    </form>
  );
}
