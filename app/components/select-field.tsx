import type { SelectHTMLAttributes } from "react";

type Option = { value: string | number; label: string };

/** A labelled select whose error is tied to it for screen readers. */
export function SelectField({
  label,
  name,
  options,
  errors,
  hint,
  placeholder,
  id = name,
  ...select
}: {
  label: string;
  name: string;
  options: Option[];
  errors?: string[];
  hint?: string;
  placeholder?: string;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, "name">) {
  const describedBy = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="mb-4">
      <label htmlFor={id} className="mb-1 block font-medium">
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="mb-1 text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      <select id={id} name={name} className="field-input" aria-invalid={errors?.length ? true : undefined} aria-describedby={describedBy} {...select}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {errors?.length ? (
        <p id={`${id}-error`} className="field-error">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
