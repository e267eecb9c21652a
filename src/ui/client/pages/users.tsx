import type { Route } from "../router.ts";

export function UsersPage(_props: { route: Route }) {
  return <h1>Users</h1>;
}
