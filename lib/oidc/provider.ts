import "server-only";
import { createHmac } from "node:crypto";
import Provider, {
  type Configuration,
  interactionPolicy,
  type KoaContextWithOIDC,
} from "oidc-provider";
import { accounts } from "../accounts";
import { env } from "../env";
import { refusalOf } from "../http/errors";
import { clientIp } from "../http/request-info";
import { logger } from "../log";
import { guardDeviceCodeGuess } from "../rate-limit";
import { singleton } from "../registry";
import { StoreUnavailableError } from "../store/kv";
import { users } from "../users";
import { adapterFor } from "./adapter";
import { clientMetadata, type OidcClient, parseClients } from "./clients";
import { rememberedScope } from "./consents";
import { rememberSiteSession } from "./logout";
import { deviceCodeRefused, deviceFlowPages, logoutPages, renderError } from "./provider-pages";
import { signingKeys } from "./signing-keys";
import { signedIn } from "./site-session";

/** Where the provider is mounted (lib/server/entry.ts) and what its issuer ends with. */
export const OIDC_PATH = "/oidc";
/** The scopes an app may ask for; the claims each brings. */
export const SCOPES = ["openid", "profile"] as const;
const GRANTABLE = new Set<string>([...SCOPES, "offline_access"]);
const CLAIMS = { openid: ["sub"], profile: ["name", "preferred_username"] };

export interface Oidc {
  provider: Provider;
  /** provider.callback(), made once. */
  handle: ReturnType<Provider["callback"]>;
  clients: Map<string, OidcClient>;
  issuer: string;
}

/** The issuer: PUBLIC_URL's origin (or NEXTAUTH_URL's, or localhost:PORT) + /oidc. */
export function issuerOf(e = env()): string {
  const base = e.PUBLIC_URL ?? e.NEXTAUTH_URL ?? `http://localhost:${e.PORT}`;
  return `${new URL(base).origin}${OIDC_PATH}`;
}

/** The process's provider, made on first use (its key read or generated once). */
export const oidc = (): Promise<Oidc> => singleton("oidc", () => make());

async function make(): Promise<Oidc> {
  const e = env();
  const list = parseClients(e.OIDC_CLIENTS);
  const clients = new Map(list.map((c) => [c.client_id, c]));
  const issuer = issuerOf(e);
  const backchannelUris = new Set(
    list.flatMap((c) => (c.backchannel_logout_uri ? [new URL(c.backchannel_logout_uri).href] : [])),
  );
  const jwks = await signingKeys(e.OIDC_JWKS, e.QRL_DATA_DIR);
  const configuration: Configuration = {
    adapter: adapterFor,
    clients: list.map(clientMetadata),
    jwks,
    // Signed with keys derived from the session secret: every instance shares them.
    cookies: {
      keys: [
        createHmac("sha256", e.authSecret).update("oidc-provider cookies").digest("base64url"),
      ],
      long: { httpOnly: true, sameSite: "lax", secure: e.secureCookies },
      short: { httpOnly: true, sameSite: "lax", secure: e.secureCookies },
    },
    claims: CLAIMS,
    scopes: [...GRANTABLE],
    pkce: { required: () => true },
    responseTypes: ["code"],
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: false },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true, ...logoutPages },
      backchannelLogout: { enabled: true },
      deviceFlow: { enabled: true, charset: "base-20", mask: "****-****", ...deviceFlowPages },
    },
    interactions: {
      url: (_ctx, interaction) => `${OIDC_PATH}/interaction/${interaction.uid}`,
      policy: policy(),
    },
    ttl: {
      Interaction: e.OIDC_INTERACTION_TTL_S,
      AuthorizationCode: e.OIDC_CODE_TTL_S,
      DeviceCode: e.OIDC_DEVICE_CODE_TTL_S,
      AccessToken: 3600,
      IdToken: 3600,
      Session: e.SESSION_MAX_AGE_S,
      Grant: 14 * 24 * 3600,
      RefreshToken: 14 * 24 * 3600,
    },
    async findAccount(_ctx, id) {
      const user = await users().get(id);
      // A disabled account signs in nowhere: its sessions, codes and refresh tokens stop (S81).
      if (!user || (await (await accounts()).get(id))?.disabled) return undefined;
      return {
        accountId: user.id,
        claims: () => ({ sub: user.id, name: user.displayName, preferred_username: user.username }),
      };
    },
    loadExistingGrant: (ctx) => existingGrant(ctx, clients),
    // oidc-provider refuses private and loopback addresses on its outgoing requests (SSRF).
    // The back-channel logout URIs are the operator's own declarations, often on an internal
    // network: those alone may reach such an address; anything else keeps the protection.
    fetch: (url, options) => {
      const href = url instanceof URL ? url.href : String(url);
      const declared = backchannelUris.has(href);
      const { dispatcher: _ssrfGuard, ...rest } = options as RequestInit & { dispatcher?: unknown };
      return globalThis.fetch(url, declared ? rest : options);
    },
    renderError,
    conformIdTokenClaims: false,
  };
  const provider = new Provider(issuer, configuration);
  provider.proxy = e.TRUST_PROXY > 0;
  // A store or database outage inside the provider: a 503 with Retry-After, not its 500.
  provider.on("server_error", (ctx, error) => {
    if (StoreUnavailableError.is(error)) ctx.state.storeDown = true;
    else logger().error({ err: error }, "OpenID Provider error");
  });
  // Which site session each app sign-in came from, so signing it out ends the provider session.
  provider.on("authorization.success", (ctx) => {
    rememberSiteSession(ctx).catch((err: unknown) =>
      logger().warn({ err }, "provider session not linked to its site session"),
    );
  });
  // Guessing device codes on /oidc/device is limited as typing codes on /m/link is.
  provider.use(async (ctx, next) => {
    if (ctx.method !== "POST" || ctx.path !== "/device") return next();
    const ip = clientIp(new Headers(ctx.req.headers as Record<string, string>));
    try {
      await guardDeviceCodeGuess(ip, async () => {
        await next();
        return Boolean((ctx as Partial<KoaContextWithOIDC>).oidc?.entities.DeviceCode);
      });
    } catch (error) {
      const refused = refusalOf(error);
      if (refused?.code !== "rate_limited") throw error;
      ctx.status = 429;
      ctx.set("Retry-After", refused.headers["Retry-After"] ?? "60");
      deviceCodeRefused(ctx);
    }
  });
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.state.storeDown) {
      ctx.status = 503;
      ctx.set("Retry-After", "2");
      ctx.body = {
        error: "temporarily_unavailable",
        error_description: "The service is briefly unavailable. Try again in a moment.",
      };
    }
  });
  if (list.length > 0 && e.production && !e.OIDC_JWKS) {
    logger().warn(
      "OpenID Provider: OIDC_JWKS is unset, so each instance uses the key in its own data folder; set OIDC_JWKS when several instances serve one issuer",
    );
  }
  return { provider, handle: provider.callback(), clients, issuer };
}

/**
 * oidc-provider's prompts, with one more login check: the provider's own
 * session counts only while the browser is still signed in to this site as
 * the same account. Signed out here (from the phone, or the account
 * disabled), an app's next authorization asks for a sign-in again
 * (`login_required` for prompt=none) instead of reusing the provider session.
 */
function policy() {
  const prompts = interactionPolicy.base();
  prompts.get("login")?.checks.add(
    new interactionPolicy.Check(
      "site_session_ended",
      "End-User is no longer signed in to this site",
      "login_required",
      async (ctx) => {
        const accountId = ctx.oidc.session?.accountId;
        if (!accountId) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
        const token = await signedIn(ctx.req);
        return token?.sub === accountId
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT;
      },
    ),
  );
  // A device grant's approval always passes through the interaction (lib/oidc/interaction.ts),
  // which checks what the provider's session cannot (a passkey-only account is refused there).
  prompts
    .get("login")
    ?.checks.add(
      new interactionPolicy.Check(
        "device_approval",
        "Device approvals are checked on every request",
        (ctx) =>
          ctx.oidc.deviceCode && !ctx.oidc.result?.login
            ? interactionPolicy.Check.REQUEST_PROMPT
            : interactionPolicy.Check.NO_NEED_TO_PROMPT,
      ),
    );
  return prompts;
}

/**
 * The grant an authorization may go on with, without asking: the one the
 * interaction just made or this provider session holds; else, for a
 * first-party app or one this account consented to before, a new one with
 * what the request asks (first party) or what was consented (the rest).
 */
async function existingGrant(ctx: KoaContextWithOIDC, clients: Map<string, OidcClient>) {
  const { client, session, provider } = ctx.oidc;
  if (!client) return undefined;
  const grantId =
    (ctx.oidc.result?.consent as { grantId?: string } | undefined)?.grantId ??
    session?.grantIdFor(client.clientId);
  if (grantId) return provider.Grant.find(grantId);
  const accountId = session?.accountId;
  if (!accountId) return undefined;
  const firstParty = clients.get(client.clientId)?.first_party === true;
  const asked = [...(ctx.oidc.requestParamScopes ?? [])].filter((s) => GRANTABLE.has(s));
  const scope = firstParty ? asked.join(" ") : await rememberedScope(accountId, client.clientId);
  if (!scope) return undefined;
  const grant = new provider.Grant({ accountId, clientId: client.clientId });
  grant.addOIDCScope(scope);
  await grant.save();
  return grant;
}
