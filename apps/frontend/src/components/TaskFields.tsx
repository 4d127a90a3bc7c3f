'use client';

import type { Priority } from '@todo/contracts';
import type { RefObject } from 'react';
import { inputClass } from './ui';

// The task fields shared by the add form and the inline editor, each with its (visually hidden) label.

interface FieldProps<T> {
  id: string;
  value: T;
  onChange: (value: T) => void;
  className?: string;
}

/** The task's title: `label` is what a screen reader announces. */
export function TitleField({
  id,
  value,
  onChange,
  className = '',
  label,
  inputRef,
  placeholder,
  required,
}: FieldProps<string> & {
  label: string;
  inputRef: RefObject<HTMLInputElement | null>;
  placeholder?: string;
  required?: boolean;
}) {
  return (
    <>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <input
        ref={inputRef}
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        maxLength={200}
        required={required}
        className={`${inputClass} ${className}`}
      />
    </>
  );
}

export function PriorityField({ id, value, onChange, className = '' }: FieldProps<Priority>) {
  return (
    <>
      <label htmlFor={id} className="sr-only">
        Priority
      </label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value as Priority)}
        className={`${inputClass} ${className}`}
      >
        <option value="low">Low</option>
        <option value="medium">Medium</option>
        <option value="high">High</option>
      </select>
    </>
  );
}

/** A calendar date as the `<input type="date">` value (`YYYY-MM-DD`, or empty). */
export function DueDateField({ id, value, onChange, className = '' }: FieldProps<string>) {
  return (
    <>
      <label htmlFor={id} className="sr-only">
        Due date
      </label>
      <input
        id={id}
        type="date"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className={`${inputClass} ${className}`}
      />
    </>
  );
}

/** Comma-separated tags as typed; `parseTags` turns them into the list. */
export function TagsField({ id, value, onChange, className = '' }: FieldProps<string>) {
  return (
    <>
      <label htmlFor={id} className="sr-only">
        Tags, comma separated
      </label>
      <input
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder="Tags"
        className={`${inputClass} ${className}`}
      />
    </>
  );
}
