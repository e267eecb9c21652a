/** /key/* routes: HTTP shapes only; the logic lives in service.ts and listing.ts. */
import { Elysia, t } from "elysia";
import { doc } from "../docs.ts";
import type { managementGuard } from "../guard.ts";
import type { createKeyListing } from "./listing.ts";
import {
  DeleteKeysBody,
  GenerateKeyBody,
  KeyAliasesQuery,
  KeyListQuery,
  KeyRefBody,
  KeysListBody,
  RegenerateKeyBody,
  ResetSpendBody,
  UpdateKeyBody,
} from "./model.ts";
import type { KeyService } from "./service.ts";

export interface KeyRoutesDeps {
  guard: ReturnType<typeof managementGuard>;
  keys: KeyService;
  listing: ReturnType<typeof createKeyListing>;
}

export function keyRoutes({ guard, keys, listing }: KeyRoutesDeps) {
  return new Elysia({ tags: ["key management"] })
    .use(guard)
    .post("/key/generate", ({ principal, body }) => keys.generate(principal, body), {
      body: GenerateKeyBody,
      detail: doc("Generate a virtual key", "Returns the plaintext key once; only its sha256 hash is stored."),
    })
    .post("/key/update", ({ principal, body }) => keys.update(principal, body), {
      body: UpdateKeyBody,
      detail: doc("Update a key", "Only the fields present change; null clears a field."),
    })
    .post("/key/delete", ({ principal, body }) => keys.delete(principal, body), {
      body: DeleteKeysBody,
      detail: doc("Delete keys by key or alias", "All or nothing: if any key is missing, none is deleted."),
    })
    .get("/key/info", ({ principal, query }) => keys.info(principal, query.key), {
      query: t.Object({ key: t.Optional(t.String({ maxLength: 255 })) }),
      detail: doc("Key details and spend", "Without ?key, the calling key."),
    })
    .post("/v2/key/info", ({ principal, body }) => keys.infoMany(principal, body.keys), {
      body: KeysListBody,
      detail: doc("Details of several keys (admins)"),
    })
    .get("/key/list", ({ principal, query }) => listing.list(principal, query), {
      query: KeyListQuery,
      detail: doc("List keys, paginated", "Non-admins see only their own user's keys."),
    })
    .get("/key/aliases", ({ principal, query }) => listing.aliases(principal, query), {
      query: KeyAliasesQuery,
      detail: doc("List key aliases, paginated"),
    })
    .post("/key/regenerate", ({ principal, body }) => keys.regenerate(principal, undefined, body), {
      body: RegenerateKeyBody,
      detail: doc("Regenerate (rotate) a key", "New plaintext key; spend and limits kept. grace_period keeps the old key working."),
    })
    .post("/key/:key/regenerate", ({ principal, params, body }) => keys.regenerate(principal, params.key, body ?? {}), {
      params: t.Object({ key: t.String({ maxLength: 255 }) }),
      body: t.Optional(RegenerateKeyBody),
      detail: doc("Regenerate (rotate) the key in the path"),
    })
    .post("/key/:key/reset_spend", ({ principal, params, body }) => keys.resetSpend(principal, params.key, body.reset_to), {
      params: t.Object({ key: t.String({ maxLength: 255 }) }),
      body: ResetSpendBody,
      detail: doc("Reset a key's spend (admins)"),
    })
    .post("/key/block", ({ principal, body }) => keys.setBlocked(principal, body.key, true), {
      body: KeyRefBody,
      detail: doc("Block a key (admins)", "A blocked key is refused with 401 until unblocked."),
    })
    .post("/key/unblock", ({ principal, body }) => keys.setBlocked(principal, body.key, false), {
      body: KeyRefBody,
      detail: doc("Unblock a key (admins)"),
    });
}
