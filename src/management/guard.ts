/**
 * Authentication for management routes: resolves `principal` for every route of
 * the group it is used in. Without a master key configured, management is refused
 * outright rather than silently left open.
 */
import { Elysia } from "elysia";
import type { Authenticator } from "../auth/authenticate.ts";
import type { ExtractedKey } from "../auth/extract-key.ts";
import { ApiError } from "../errors.ts";

export interface GuardOptions {
  authenticate: Authenticator;
  extractKey: (headers: Headers) => ExtractedKey;
  masterKeyConfigured: boolean;
}

export function managementGuard(options: GuardOptions) {
  return new Elysia({ name: "management-guard", seed: options }).resolve({ as: "scoped" }, async ({ request, path }) => {
    if (!options.masterKeyConfigured) {
      throw new ApiError(
        "forbidden",
        "Management routes are disabled: no master key is configured. Set general_settings.master_key or LITELLM_MASTER_KEY (it must start with sk-).",
      );
    }
    return { principal: await options.authenticate(options.extractKey(request.headers), path) };
  });
}
