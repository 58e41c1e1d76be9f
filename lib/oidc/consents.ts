import "server-only";
import { and, eq } from "drizzle-orm";
import { accounts } from "../accounts";
import { oidcConsents } from "../db/schema";

/**
 * Consent remembered per account and app (not first-party apps, which never
 * ask): the scopes the person allowed, so the app does not ask again.
 * Gone with the account (ON DELETE CASCADE).
 */
export async function rememberedScope(accountId: string, clientId: string): Promise<string | null> {
  const store = await accounts();
  const [row] = await store.database.run((db) =>
    db
      .select({ scope: oidcConsents.scope })
      .from(oidcConsents)
      .where(and(eq(oidcConsents.accountId, accountId), eq(oidcConsents.clientId, clientId)))
      .limit(1),
  );
  return row?.scope ?? null;
}

/** Adds `scopes` to what this account allowed this app. */
export async function rememberConsent(accountId: string, clientId: string, scopes: string[]) {
  const before = (await rememberedScope(accountId, clientId))?.split(" ") ?? [];
  const scope = [...new Set([...before, ...scopes])].filter(Boolean).join(" ");
  const store = await accounts();
  await store.database.run((db) =>
    db
      .insert(oidcConsents)
      .values({ accountId, clientId, scope })
      .onConflictDoUpdate({
        target: [oidcConsents.accountId, oidcConsents.clientId],
        set: { scope },
      }),
  );
}
