import "server-only";
import { env } from "../env";
import { DemoDirectory } from "./demo-directory";
import type { UserDirectory } from "./directory";

export type { User, UserDirectory } from "./directory";

const cache = globalThis as unknown as { qrlUsers?: UserDirectory };

/** The user directory. To use your own users, return your UserDirectory here. */
export function users(): UserDirectory {
  cache.qrlUsers ??= new DemoDirectory(env().demoUsers);
  return cache.qrlUsers;
}
