/**
 * Building blocks shared by the config section schemas.
 *
 * Objects come in two flavours, and the unknown-field walk (`unknown-fields.ts`) tells
 * them apart by `additionalProperties`:
 * - `section(...)`: a closed set of settings; an unknown key is kept but warned about
 *   once, since it is usually a typo or a LiteLLM feature tollgate does not implement.
 * - `open(...)`: free-form data (provider params, cache options, metadata); extra keys
 *   are expected and pass silently. The typed keys are still validated.
 * Neither flavour rejects extra keys: that is a warning, never a start-up failure.
 */
import { Type, type TProperties } from "@sinclair/typebox";

export const section = <T extends TProperties>(properties: T) => Type.Object(properties);

export const open = <T extends TProperties>(properties: T) =>
  Type.Object(properties, { additionalProperties: true });

export const str = Type.Optional(Type.String());
export const bool = Type.Optional(Type.Boolean());
export const num = Type.Optional(Type.Number());
/** A count or limit: rpm, tpm, retries, parallel requests. */
export const count = Type.Optional(Type.Integer({ minimum: 0 }));
/** A duration in seconds; fractions allowed. */
export const seconds = Type.Optional(Type.Number({ minimum: 0 }));
/** Money in USD (per token, per second or a budget); fractions allowed. */
export const usd = Type.Optional(Type.Number({ minimum: 0 }));
export const strList = Type.Optional(Type.Array(Type.String()));
export const strMap = Type.Optional(Type.Record(Type.String(), Type.String()));
export const anyMap = Type.Optional(Type.Record(Type.String(), Type.Unknown()));

/** `[{"gpt-4o": ["gpt-4o-mini", "claude"]}]`: each entry maps a model group to its fallbacks. */
export const fallbackList = Type.Optional(Type.Array(Type.Record(Type.String(), Type.Array(Type.String()))));

/** LiteLLM accepts a single callback name or a list of them. */
export const callbackList = Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())]));
