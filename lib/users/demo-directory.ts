import "server-only";
import type { User, UserDirectory } from "./directory";
import { hashPassword, verifyPassword } from "./password";
import { normalizeUsername } from "./username";

type Account = User & { passwordHash: Promise<string> };

/**
 * Demo accounts from QRL_DEMO_USERS (`user:password[:Display Name]`, comma
 * separated). Passwords are hashed with scrypt when the directory is built and
 * only the hashes are kept.
 */
export class DemoDirectory implements UserDirectory {
  private readonly accounts = new Map<string, Account>();
  // Unknown usernames are checked against this hash too, so timing does not reveal them.
  private readonly decoy = hashPassword("decoy-password");

  constructor(spec: string) {
    for (const entry of spec
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [username, password, displayName] = entry.split(":");
      if (!username || !password) throw new Error(`QRL_DEMO_USERS: bad entry "${username}:…"`);
      const name = displayName || username.charAt(0).toUpperCase() + username.slice(1);
      const key = normalizeUsername(username);
      this.accounts.set(key, {
        id: `demo-${key}`,
        username: key,
        displayName: name,
        passwordHash: hashPassword(password),
      });
    }
  }

  async verify(username: string, password: string): Promise<User | null> {
    const account = this.accounts.get(normalizeUsername(username));
    const ok = await verifyPassword(password, await (account?.passwordHash ?? this.decoy));
    return account && ok ? toUser(account) : null;
  }

  async get(id: string): Promise<User | null> {
    for (const account of this.accounts.values()) if (account.id === id) return toUser(account);
    return null;
  }
}

const toUser = ({ id, username, displayName }: Account): User => ({ id, username, displayName });
