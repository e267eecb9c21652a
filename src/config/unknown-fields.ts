/**
 * Finds keys the schema does not know in its closed sections (top level, each
 * deployment, general/litellm/router settings), so each can be warned about once.
 * Open objects (`additionalProperties: true`, see `schema/fields.ts`) are free-form and
 * skipped; their typed children are still walked.
 */
import { KindGuard, type TSchema } from "@sinclair/typebox";
import type { PathSegment } from "./field-path.ts";
import { isMapping } from "./tree.ts";

export function unknownFields(schema: TSchema, value: unknown, path: PathSegment[] = []): PathSegment[][] {
  if (KindGuard.IsArray(schema) && Array.isArray(value)) {
    return value.flatMap((item, index) => unknownFields(schema.items, item, [...path, index]));
  }
  if (KindGuard.IsRecord(schema) && isMapping(value)) {
    const child = Object.values(schema.patternProperties)[0];
    if (child === undefined) return [];
    return Object.entries(value).flatMap(([key, item]) => unknownFields(child, item, [...path, key]));
  }
  if (!KindGuard.IsObject(schema) || !isMapping(value)) return [];
  const closed = schema.additionalProperties === undefined;
  return Object.entries(value).flatMap(([key, item]) => {
    const child = Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
    if (child !== undefined) return unknownFields(child, item, [...path, key]);
    return closed ? [[...path, key]] : [];
  });
}
