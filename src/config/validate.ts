/**
 * Runs TypeBox validation and turns its errors into one line per bad field, in the form
 * `model_list[2].litellm_params.api_base: expected string, got integer`. Values are
 * never echoed except for enum-like fields, so a misplaced secret is not printed.
 */
import { Kind, KindGuard, type TSchema } from "@sinclair/typebox";
import { ValueErrorType, type ValueError } from "@sinclair/typebox/errors";
import { Value } from "@sinclair/typebox/value";
import { formatPath, pointerToPath, type PathSegment } from "./field-path.ts";
import { describeValue } from "./tree.ts";

export interface ValidationOptions {
  /** Prepended to every path, when validating a section on its own. */
  prefix?: readonly PathSegment[];
  /** Extra text per formatted path, e.g. which environment variable a value came from. */
  notes?: ReadonlyMap<string, string>;
}

/** One issue per invalid field (the first error TypeBox reports for it); empty when valid. */
export function validationIssues(schema: TSchema, value: unknown, options: ValidationOptions = {}): string[] {
  const seen = new Set<string>();
  const issues: string[] = [];
  for (const error of [...Value.Errors(schema, value)].map(innermost)) {
    const path = formatPath([...(options.prefix ?? []), ...pointerToPath(error.path, value)]);
    if (seen.has(path)) continue;
    seen.add(path);
    const note = options.notes?.get(path);
    issues.push(`${path}: ${describeError(error)}${note ? ` ${note}` : ""}`);
  }
  return issues;
}

/**
 * A union error only says "expected string or mapping". When the value's shape picks out
 * one member (a mapping where one member is an object), report that member's first error
 * instead, which points at the actual bad field inside.
 */
function innermost(error: ValueError): ValueError {
  if (error.type !== ValueErrorType.Union || !KindGuard.IsUnion(error.schema)) return error;
  const shape = describeValue(error.value);
  const members = error.schema.anyOf.map((member) => shapeOf(member) === shape);
  if (members.filter(Boolean).length !== 1) return error;
  const first = error.errors[members.indexOf(true)]?.First();
  return first === undefined ? error : innermost(first);
}

function shapeOf(schema: TSchema): string {
  if (KindGuard.IsObject(schema) || KindGuard.IsRecord(schema)) return "mapping";
  return KindGuard.IsArray(schema) ? "list" : "scalar";
}

const TYPE_ERRORS = new Set([
  ValueErrorType.String,
  ValueErrorType.Number,
  ValueErrorType.Integer,
  ValueErrorType.Boolean,
  ValueErrorType.Array,
  ValueErrorType.Object,
  ValueErrorType.Union,
  ValueErrorType.Literal,
]);

function describeError(error: ValueError): string {
  const { schema, value } = error;
  if (error.type === ValueErrorType.ObjectRequiredProperty) return "required field is missing";
  if (TYPE_ERRORS.has(error.type)) {
    const got = isEnumLike(schema) && typeof value === "string" ? JSON.stringify(value) : describeValue(value);
    return `expected ${describeSchema(schema)}, got ${got}`;
  }
  if (error.type === ValueErrorType.StringMinLength) return "must not be empty";
  if (typeof value === "number") return `${lowerFirst(error.message)} (got ${value})`;
  return lowerFirst(error.message);
}

/** A schema in words: `string`, `list`, `one of "a", "b"`, `string or list`. */
export function describeSchema(schema: TSchema): string {
  if (KindGuard.IsLiteral(schema)) return JSON.stringify(schema.const);
  if (KindGuard.IsUnion(schema)) {
    const parts = [...new Set(schema.anyOf.map(describeSchema))];
    return isEnumLike(schema) ? `one of ${parts.join(", ")}` : parts.join(" or ");
  }
  if (KindGuard.IsArray(schema)) return "list";
  if (KindGuard.IsObject(schema) || KindGuard.IsRecord(schema)) return "mapping";
  return schema[Kind].toLowerCase();
}

function isEnumLike(schema: TSchema): boolean {
  return KindGuard.IsUnion(schema) && schema.anyOf.every((member) => KindGuard.IsLiteral(member));
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
