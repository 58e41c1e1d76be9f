/**
 * The one form of a username, for the user directory and the sign-in limits
 * alike: Unicode NFKC (full-width letters, ligatures and no-break spaces
 * become their plain forms), no whitespace around it (tabs, U+00A0, U+3000
 * and every other Unicode space), lowercase. Two spellings that reach the same
 * account must share one count of wrong passwords, so nothing else may decide
 * which usernames are "the same".
 */
export function normalizeUsername(username: string): string {
  return username.normalize("NFKC").trim().toLowerCase().normalize("NFKC");
}
