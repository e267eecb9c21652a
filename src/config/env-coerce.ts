/**
 * An environment variable is always text, so `redis_port: os.environ/REDIS_PORT` would
 * otherwise fail validation as "expected integer, got string". Only values that came
 * from a reference are converted, only to a type the field accepts, and only when the
 * text is an exact number or `true`/`false`; everything written literally in the file
 * is validated as written.
 */
import { Kind, KindGuard, type TSchema } from "@sinclair/typebox";
import type { EnvRef } from "./env-refs.ts";
import type { PathSegment } from "./field-path.ts";
import { isMapping } from "./tree.ts";

const INTEGER = /^-?\d+$/;
const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const BOOLEAN = /^(true|false)$/i;

/** Converts, in place, each referenced value in `tree` that its field wants as a number or boolean. */
export function coerceEnvRefs(schema: TSchema, tree: unknown, refs: readonly EnvRef[]): void {
  for (const { path } of refs) {
    const parentPath = path.slice(0, -1);
    const key = path[path.length - 1];
    const parent = valueAt(tree, parentPath);
    const field = schemaAt(schema, path);
    if (key === undefined || field === undefined) continue;
    if (Array.isArray(parent) && typeof key === "number") parent[key] = coerce(field, parent[key]);
    else if (isMapping(parent)) parent[String(key)] = coerce(field, parent[String(key)]);
  }
}

function coerce(field: TSchema, value: unknown): unknown {
  if (typeof value !== "string") return value;
  const kinds = acceptedKinds(field);
  if (kinds.has("Boolean") && BOOLEAN.test(value)) return value.toLowerCase() === "true";
  if (kinds.has("Integer") && INTEGER.test(value)) return Number(value);
  if (kinds.has("Number") && NUMBER.test(value)) return Number(value);
  return value;
}

function acceptedKinds(schema: TSchema): Set<string> {
  if (KindGuard.IsUnion(schema)) return new Set(schema.anyOf.flatMap((member) => [...acceptedKinds(member)]));
  return new Set([schema[Kind]]);
}

/** The schema describing the value at `path`, or undefined where the schema is ambiguous (unions, unknown keys). */
function schemaAt(schema: TSchema, path: readonly PathSegment[]): TSchema | undefined {
  let current: TSchema | undefined = schema;
  for (const segment of path) {
    if (current === undefined) return undefined;
    if (KindGuard.IsObject(current)) current = ownProperty(current.properties, String(segment));
    else if (KindGuard.IsArray(current)) current = current.items;
    else if (KindGuard.IsRecord(current)) current = Object.values(current.patternProperties)[0];
    else return undefined;
  }
  return current;
}

function ownProperty(properties: Record<string, TSchema>, key: string): TSchema | undefined {
  return Object.hasOwn(properties, key) ? properties[key] : undefined;
}

function valueAt(tree: unknown, path: readonly PathSegment[]): unknown {
  let node = tree;
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === "number") node = node[segment];
    else if (isMapping(node)) node = node[String(segment)];
    else return undefined;
  }
  return node;
}
