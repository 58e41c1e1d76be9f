/**
 * The message namespaces: one JSON file per namespace and locale in
 * `messages/<locale>/<namespace>.json`. Adding a namespace = its two files + one
 * line here.
 */
export const namespaces = [
  "common",
  "login",
  "origin",
  "rotation",
  "passkeys",
  "notices",
  "phone",
  "oidc",
  "account",
  "recovery",
] as const;
export type Namespace = (typeof namespaces)[number];
