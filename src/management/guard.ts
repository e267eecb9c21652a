/**
 * Authentication for management routes: resolves `principal` for every route of
 * the group it is used in. Without a master key (or a custom_auth hook) configured,
 * management is refused outright rather than silently left open.
 */
import { Elysia } from "elysia";
import type { Principal } from "../auth/principal.ts";
import { ApiError } from "../errors.ts";

export interface GuardOptions {
  /** Who is calling (the key check, or custom_auth). */
  resolve: (request: Request, path: string) => Promise<Principal>;
  /** False when nothing could authenticate an admin: management is then refused. */
  enabled: boolean;
}

export function managementGuard(options: GuardOptions) {
  return new Elysia({ name: "management-guard", seed: options }).resolve({ as: "scoped" }, async ({ request, path }) => {
    if (!options.enabled) {
      throw new ApiError(
        "forbidden",
        "Management routes are disabled: no master key is configured. Set general_settings.master_key or LITELLM_MASTER_KEY (it must start with sk-).",
      );
    }
    return { principal: await options.resolve(request, path) };
  });
}
