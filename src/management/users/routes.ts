/** /user/* routes: HTTP shapes only; the logic lives in service.ts. */
import { Elysia, t } from "elysia";
import { doc } from "../docs.ts";
import type { managementGuard } from "../guard.ts";
import { Id } from "../schema-parts.ts";
import { DeleteUsersBody, NewUserBody, UpdateUserBody, UserListQuery } from "./model.ts";
import type { createUserService } from "./service.ts";

export interface UserRoutesDeps {
  guard: ReturnType<typeof managementGuard>;
  users: ReturnType<typeof createUserService>;
}

export function userRoutes({ guard, users }: UserRoutesDeps) {
  return new Elysia({ tags: ["user management"] })
    .use(guard)
    .post("/user/new", ({ principal, body }) => users.create(principal, body), {
      body: NewUserBody,
      detail: doc("Create a user (admins)", "Also creates the user's first key unless auto_create_key is false; 409 on a duplicate id or email."),
    })
    .get("/user/info", ({ principal, query }) => users.info(principal, query.user_id), {
      query: t.Object({ user_id: t.Optional(Id) }),
      detail: doc("A user with its keys and teams", "Non-admins may only read their own user."),
    })
    .post("/user/update", ({ principal, body }) => users.update(principal, body), {
      body: UpdateUserBody,
      detail: doc("Update a user", "Admins may change anything; a user may change its own alias, email, password and metadata."),
    })
    .post("/user/delete", ({ principal, body }) => users.delete(principal, body.user_ids), {
      body: DeleteUsersBody,
      detail: doc("Delete users with their keys and memberships (admins)"),
    })
    .get("/user/list", ({ principal, query }) => users.list(principal, query), {
      query: UserListQuery,
      detail: doc("List users, paginated (admins and admin viewers)"),
    });
}
