/** TypeBox building blocks shared by the management request schemas. */
import { type TSchema, t } from "elysia";
import type { JsonObject } from "../db/json.ts";

/** Optional and nullable, like pydantic's `Optional[X] = None`. */
export const nullable = <T extends TSchema>(schema: T) => t.Optional(t.Union([schema, t.Null()]));

/** Identifiers and names: printable text, no control characters, at most 255 characters. */
export const Id = t.String({ minLength: 1, maxLength: 255, pattern: "^[^\\u0000-\\u001f\\u007f]+$" });
export const LongText = t.String({ maxLength: 1024 });
/** A JSON object (request bodies are JSON, so its values are JSON values). */
export const JsonMap = t.Unsafe<JsonObject>(t.Record(t.String({ maxLength: 255 }), t.Unknown()));
export const StringList = (options: { description?: string } = {}) => t.Array(t.String({ maxLength: 255 }), { maxItems: 1000, ...options });

/** USD amounts. The sign is checked by the services, which answer 400 as LiteLLM does. */
export const Money = (options: { description?: string } = {}) => t.Number(options);
export const Count = t.Integer({ minimum: 0, maximum: 2_147_483_647 });

/** One of a fixed set of strings. */
export const OneOf = <T extends string>(values: readonly T[], options: { description?: string } = {}) =>
  t.Union(
    values.map((v) => t.Literal(v)),
    options,
  );
