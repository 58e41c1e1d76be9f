import "server-only";
import { env } from "../env";
import { singleton } from "../registry";
import { CachedDirectory } from "./cached-directory";
import { DemoDirectory } from "./demo-directory";
import type { UserDirectory } from "./directory";

export type { User, UserDirectory } from "./directory";

/**
 * The user directory. To use your own users, put your UserDirectory in place
 * of DemoDirectory; CachedDirectory keeps `get(id)` off the hot status poll.
 */
export const users = (): UserDirectory =>
  singleton("users", () => new CachedDirectory(new DemoDirectory(env().demoUsers)));
