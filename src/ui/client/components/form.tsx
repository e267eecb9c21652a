/**
 * Forms described as data: each field says what it holds, and the form turns the
 * text a person typed into the JSON the API takes. Creating sends the fields that
 * were filled in; editing sends only the fields that changed (an emptied field is
 * sent as its `cleared` value, null unless said otherwise, which clears it).
 */
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { asError } from "./async.ts";
import { ErrorNotice } from "./feedback.tsx";

export type FieldKind = "text" | "password" | "number" | "integer" | "list" | "json" | "boolean" | "select" | "datetime";

export interface FieldSpec {
  name: string;
  label: string;
  kind: FieldKind;
  help?: string;
  placeholder?: string;
  required?: boolean;
  options?: readonly string[];
  /** Fields with the same section are grouped; sections after the first start folded. */
  section?: string;
  /** What an emptied field is sent as on edit. */
  cleared?: unknown;
}

export type Body = Record<string, unknown>;

export function EntityForm({ fields, initial, submitLabel, onSubmit, onCancel, children }: { fields: FieldSpec[]; initial?: Body; submitLabel: string; onSubmit: (body: Body) => Promise<unknown>; onCancel?: () => void; children?: ComponentChildren }) {
  const editing = initial !== undefined;
  const [start] = useState(() => Object.fromEntries(fields.map((f) => [f.name, toText(f, initial?.[f.name])])));
  const [values, setValues] = useState<Record<string, string | boolean>>(start);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const body: Body = {};
    const found: Record<string, string> = {};
    for (const field of fields) {
      const value = values[field.name]!;
      if (editing && value === start[field.name]) continue;
      if (value === "" || value === false) {
        if (field.required) found[field.name] = `${field.label} is required.`;
        else if (editing) body[field.name] = field.kind === "boolean" ? false : (field.cleared ?? null);
        continue;
      }
      try {
        body[field.name] = fromText(field, value);
      } catch (err) {
        found[field.name] = asError(err).message;
      }
    }
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(body);
    } catch (err) {
      setError(asError(err));
    } finally {
      setBusy(false);
    }
  };

  const sections = [...new Set(fields.map((f) => f.section ?? ""))];
  return (
    <form class="entity-form" onSubmit={submit} noValidate>
      {sections.map((section, index) => {
        const inner = fields
          .filter((f) => (f.section ?? "") === section)
          .map((f) => <Field key={f.name} field={f} value={values[f.name]!} problem={problems[f.name]} onChange={(v) => setValues((all) => ({ ...all, [f.name]: v }))} />);
        if (!section) return <div key="main">{inner}</div>;
        return (
          <details key={section} open={index === 0 || sections.length <= 2}>
            <summary>{section}</summary>
            <div class="fields">{inner}</div>
          </details>
        );
      })}
      {children}
      {Object.keys(problems).length > 0 && <ErrorNotice error="Some fields need fixing; see the messages next to them." />}
      {error && <ErrorNotice error={error} />}
      <div class="actions">
        {onCancel && (
          <button type="button" class="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" disabled={busy}>
          {busy ? "Saving…" : submitLabel}
        </button>
      </div>
    </form>
  );
}

function Field({ field, value, problem, onChange }: { field: FieldSpec; value: string | boolean; problem?: string; onChange: (value: string | boolean) => void }) {
  const id = `field-${field.name}`;
  const described = [field.help ? `${id}-help` : null, problem ? `${id}-problem` : null].filter(Boolean).join(" ") || undefined;
  const common = { id, name: field.name, "aria-describedby": described, "aria-invalid": problem ? true : undefined, required: field.required };
  let input: ComponentChildren;
  switch (field.kind) {
    case "boolean":
      return (
        <div class="field checkbox">
          <input type="checkbox" {...common} checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} />
          <label for={id}>{field.label}</label>
          {field.help && <small id={`${id}-help`}>{field.help}</small>}
        </div>
      );
    case "select":
      input = (
        <select {...common} value={value as string} onChange={(e) => onChange(e.currentTarget.value)}>
          <option value="">—</option>
          {field.options?.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
      break;
    case "json":
    case "list":
      input = <textarea {...common} rows={field.kind === "json" ? 4 : 2} placeholder={field.placeholder} value={value as string} onInput={(e) => onChange(e.currentTarget.value)} />;
      break;
    case "number":
    case "integer":
      input = (
        <input
          {...common}
          type="number"
          step={field.kind === "number" ? "any" : 1}
          min={0}
          inputMode={field.kind === "number" ? "decimal" : "numeric"}
          placeholder={field.placeholder}
          value={value as string}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      );
      break;
    case "datetime":
      input = <input {...common} type="datetime-local" value={value as string} onInput={(e) => onChange(e.currentTarget.value)} />;
      break;
    case "password":
      input = <input {...common} type="password" autocomplete="new-password" value={value as string} onInput={(e) => onChange(e.currentTarget.value)} />;
      break;
    default:
      input = <input {...common} type="text" placeholder={field.placeholder} value={value as string} onInput={(e) => onChange(e.currentTarget.value)} />;
  }
  return (
    <div class="field">
      <label for={id}>
        {field.label}
        {field.required && <span aria-hidden="true"> *</span>}
      </label>
      {input}
      {field.help && <small id={`${id}-help`}>{field.help}</small>}
      {problem && (
        <small class="problem" id={`${id}-problem`}>
          {problem}
        </small>
      )}
    </div>
  );
}

function toText(field: FieldSpec, value: unknown): string | boolean {
  if (field.kind === "boolean") return value === true;
  if (value === null || value === undefined) return "";
  switch (field.kind) {
    case "list":
      return Array.isArray(value) ? value.join(", ") : String(value);
    case "json":
      return typeof value === "object" && Object.keys(value as object).length === 0 ? "" : JSON.stringify(value, null, 2);
    case "datetime":
      return typeof value === "string" ? localDateTime(value) : "";
    default:
      return String(value);
  }
}

function fromText(field: FieldSpec, value: string | boolean): unknown {
  if (typeof value === "boolean") return value;
  switch (field.kind) {
    case "number":
    case "integer": {
      const number = Number(value);
      if (!Number.isFinite(number)) throw new Error(`${field.label} must be a number.`);
      if (field.kind === "integer" && !Number.isInteger(number)) throw new Error(`${field.label} must be a whole number.`);
      return number;
    }
    case "list":
      return value
        .split(/[,\n]/)
        .map((item) => item.trim())
        .filter(Boolean);
    case "json": {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch (err) {
        throw new Error(`${field.label} is not valid JSON: ${asError(err).message}`);
      }
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(`${field.label} must be a JSON object, like {"name": "value"}.`);
      return parsed;
    }
    case "datetime":
      return new Date(value).toISOString();
    case "password":
      return value; // spaces are part of a password
    default:
      return value.trim();
  }
}

/** An ISO instant as the browser's local "yyyy-mm-ddThh:mm" (what datetime-local shows and gives back). */
function localDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
