/** A user as the QR login sees one. Only `id` is ever stored with a ticket. */
export interface User {
  id: string;
  username: string;
  displayName: string;
}

/**
 * Where users come from. The demo directory implements it from configuration;
 * an integrator implements it on their own user database (see README).
 */
export interface UserDirectory {
  /**
   * The user when the password is right, null otherwise (unknown user or wrong
   * password alike). `username` is as typed: match it by `normalizeUsername`
   * (./username.ts), the form the sign-in limits count under, so that no
   * spelling of a username reaches its account with a fresh allowance.
   */
  verify(username: string, password: string): Promise<User | null>;
  get(id: string): Promise<User | null>;
}
