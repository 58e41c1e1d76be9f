import "server-only";
import type { KoaContextWithOIDC } from "oidc-provider";
import { env } from "../env";
import { logger } from "../log";
import { store } from "../store";
import { keys } from "../store/keys";
import { oidc } from "./provider";
import { signedIn } from "./site-session";

/** oidc-provider's Client, with the method its types leave out (lib/models/client.js). */
type BackchannelClient = {
  backchannelLogoutUri?: string;
  backchannelLogout(sub: string, sid: string): Promise<void>;
};

/**
 * An app's sign-in succeeded: note which provider session it used under the
 * site session that answered its interaction (`qrl:oidc:{site:<sid>}`), for
 * as long as that session may live.
 */
export async function rememberSiteSession(ctx: KoaContextWithOIDC): Promise<void> {
  const session = ctx.oidc.session;
  if (!session?.uid || !session.accountId) return;
  const token = await signedIn(ctx.req);
  if (!token?.sid || token.sub !== session.accountId) return;
  await store().setField(
    keys.oidcSite(token.sid),
    session.uid,
    session.accountId,
    env().SESSION_MAX_AGE_S * 1000,
  );
}

/**
 * Sessions on this site ended (a sign-out from the phone, or by the browser
 * itself): every provider session they made ends, and each app that signed
 * in through one and declared a `backchannel_logout_uri` gets an OIDC
 * back-channel logout token (sub and sid, signed with the provider's key).
 */
export async function endProviderSessions(userId: string, sessionIds: string[]): Promise<void> {
  const kv = store();
  for (const sid of sessionIds) {
    const linked = await kv.getHash(keys.oidcSite(sid));
    if (!linked) continue;
    const { provider } = await oidc();
    for (const [uid, accountId] of Object.entries(linked)) {
      if (accountId !== userId) continue;
      const session = await provider.Session.findByUid(uid);
      if (!session) continue;
      for (const clientId of Object.keys(session.authorizations ?? {})) {
        const client = (await provider.Client.find(clientId)) as BackchannelClient | undefined;
        if (!client?.backchannelLogoutUri) continue;
        await client
          .backchannelLogout(accountId, session.sidFor(clientId) ?? "")
          .catch((err: unknown) =>
            logger().warn(
              { err: String(err), cause: String((err as Error).cause), clientId },
              "back-channel logout not delivered",
            ),
          );
      }
      await session.destroy();
    }
    await kv.del(keys.oidcSite(sid));
  }
}
