'use client';

import type { CreateTaskInput, Priority } from '@todo/contracts';
import { type FormEvent, useId, useRef, useState } from 'react';
import { dateInputToIso, parseTags } from '@/lib/dates';
import { DueDateField, PriorityField, TagsField, TitleField } from './TaskFields';
import { primaryButton } from './ui';

export function AddTaskForm({ onAdd }: { onAdd: (task: CreateTaskInput) => Promise<boolean> }) {
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
    const task: CreateTaskInput = {
      title: trimmed,
      priority,
      tags: parseTags(tags),
      dueAt: dateInputToIso(due),
    };
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
        <TitleField
          id={`${id}-title`}
          label="New task title"
          inputRef={titleRef}
          value={title}
          onChange={setTitle}
          placeholder="Add a task…"
          className="w-full"
        />
      </div>
      <div>
        <PriorityField id={`${id}-priority`} value={priority} onChange={setPriority} className="w-full" />
      </div>
      <div>
        <DueDateField id={`${id}-due`} value={due} onChange={setDue} className="w-full" />
      </div>
      <div className="col-span-2 sm:col-span-1">
        <TagsField id={`${id}-tags`} value={tags} onChange={setTags} className="w-full" />
      </div>
      <button type="submit" className={`${primaryButton} col-span-2 sm:col-span-1`}>
        Add
      </button>
    </form>
  );
}
