import "server-only";
import { accounts } from "../accounts";
import { singleton } from "../registry";
import { CachedDirectory } from "./cached-directory";
import { DatabaseDirectory } from "./database-directory";
import type { UserDirectory } from "./directory";

export type { User, UserDirectory } from "./directory";

/**
 * The user directory: the accounts in the database (PostgreSQL, or the
 * embedded PGlite). A site with its own users table puts its own
 * UserDirectory here instead (README, "Your own users");
 * CachedDirectory keeps `get(id)` off the hot status poll.
 */
export const users = (): UserDirectory =>
  singleton("users", () => new CachedDirectory(new DatabaseDirectory(accounts)));
