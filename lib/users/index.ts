import "server-only";
import { env } from "../env";
import { CachedDirectory } from "./cached-directory";
import { DemoDirectory } from "./demo-directory";
import type { UserDirectory } from "./directory";

export type { User, UserDirectory } from "./directory";

const cache = globalThis as unknown as { qrlUsers?: UserDirectory };

/**
 * The user directory. To use your own users, put your UserDirectory in place
 * of DemoDirectory; CachedDirectory keeps `get(id)` off the hot status poll.
 */
export function users(): UserDirectory {
  cache.qrlUsers ??= new CachedDirectory(new DemoDirectory(env().demoUsers));
  return cache.qrlUsers;
}
