import "server-only";
import type { User, UserDirectory } from "./directory";

/**
 * Wraps a directory so that `get(id)` is answered from memory for a while:
 * the status poll shows the scanner's name, and with a database-backed
 * directory that would be one query per poll. `verify` is never cached.
 * When the directory fails (the database down or stalled), an entry past its
 * ttl is still served: the waiting desktops keep showing who scanned.
 */
export class CachedDirectory implements UserDirectory {
  private readonly byId = new Map<string, { user: User | null; until: number }>();

  constructor(
    private readonly inner: UserDirectory,
    private readonly ttlMs = 60_000,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  verify(username: string, password: string): Promise<User | null> {
    return this.inner.verify(username, password);
  }

  /** Drops what is kept of one user (renamed or deleted): the next `get` asks the directory. */
  forget(id: string): void {
    this.byId.delete(id);
  }

  /** Drops everything kept (the events channel was not heard for a while: a rename may have been missed). */
  forgetAll(): void {
    this.byId.clear();
  }

  async get(id: string): Promise<User | null> {
    const hit = this.byId.get(id);
    if (hit && hit.until > this.now()) return hit.user;
    let user: User | null;
    try {
      user = await this.inner.get(id);
    } catch (error) {
      if (hit) return hit.user;
      throw error;
    }
    if (this.byId.size >= this.maxEntries) this.byId.clear();
    this.byId.set(id, { user, until: this.now() + this.ttlMs });
    return user;
  }
}
