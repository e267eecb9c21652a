/** Internal user roles (LiteLLM's `user_role`). */
export const USER_ROLES = ["proxy_admin", "proxy_admin_viewer", "internal_user", "internal_user_viewer"] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const isUserRole = (value: string | null | undefined): value is UserRole => USER_ROLES.includes(value as UserRole);

/** May change anything. */
export const isAdmin = (role: UserRole) => role === "proxy_admin";
/** May read anything. */
export const canReadAll = (role: UserRole) => role === "proxy_admin" || role === "proxy_admin_viewer";
/** Viewer roles are read-only, whatever they own. */
export const canWrite = (role: UserRole) => role === "proxy_admin" || role === "internal_user";
