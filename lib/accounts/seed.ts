import "server-only";
import { normalizeUsername } from "../users/username";
import type { AccountStore } from "./store";

export interface DemoUser {
  username: string;
  password: string;
  displayName?: string;
}

/** QRL_DEMO_USERS: `user:password[:Display Name]`, comma-separated. */
export function parseDemoUsers(spec: string): DemoUser[] {
  return spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [username, password, displayName] = entry.split(":");
      if (!username || !password) throw new Error(`QRL_DEMO_USERS: bad entry "${username}:…"`);
      return { username, password, ...(displayName ? { displayName } : {}) };
    });
}

/**
 * Creates each demo account whose username is free, with the id
 * `demo-<username>` (the id the demo directory gave them, so sessions and
 * tickets that name it keep working, and instances with a data folder each
 * agree on it). An existing account is left as it is: its password is not
 * reset at every start. Returns the usernames created.
 */
export async function seedDemoUsers(store: AccountStore, spec: string): Promise<string[]> {
  const created: string[] = [];
  for (const user of parseDemoUsers(spec)) {
    if (await store.find(user.username)) continue;
    try {
      const account = await store.create({
        ...user,
        id: `demo-${normalizeUsername(user.username)}`,
      });
      created.push(account.username);
    } catch (error) {
      // Another instance on the same PostgreSQL created it first.
      if (!(error instanceof Error && "reason" in error && error.reason === "exists")) throw error;
    }
  }
  return created;
}
