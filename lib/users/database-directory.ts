import "server-only";
import type { AccountStore } from "../accounts/store";
import { Refusal } from "../errors";
import type { User, UserDirectory } from "./directory";

/**
 * The default directory: the accounts in the database (lib/accounts). A
 * disabled account's right password is refused in words; a wrong one is
 * refused like any other, so the refusal tells nothing to a guesser.
 */
export class DatabaseDirectory implements UserDirectory {
  constructor(private readonly store: () => Promise<AccountStore>) {}

  async verify(username: string, password: string): Promise<User | null> {
    const account = await (await this.store()).verify(username, password);
    if (!account) return null;
    if (account.disabled) throw new Refusal("account_disabled");
    return { id: account.id, username: account.username, displayName: account.displayName };
  }

  async get(id: string): Promise<User | null> {
    const account = await (await this.store()).get(id);
    return account
      ? { id: account.id, username: account.username, displayName: account.displayName }
      : null;
  }
}
