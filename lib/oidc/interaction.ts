import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { refusalOf } from "../http/errors";
import { clientIp, isCrossSite } from "../http/request-info";
import { auditUser } from "../log";
import { passkeys } from "../passkeys";
import { rememberConsent } from "./consents";
import { escapeHtml, localeOf, page, translator } from "./pages";
import { OIDC_PATH, type Oidc } from "./provider";
import { signedIn } from "./site-session";

/** The interaction's own routes, served before the provider: `/oidc/interaction/<uid>[/consent]`. */
export const INTERACTION = /^\/oidc\/interaction\/([A-Za-z0-9_-]{1,64})(\/consent)?$/;

/** The sign-in page's way back here once the person signed in: a local path (callbackUrl). */
export const interactionPath = (uid: string) => `${OIDC_PATH}/interaction/${uid}`;

/**
 * An app sent its user here to sign in (oidc-provider's interaction):
 * - login: the browser's own session on this site (a QR sign-in, the
 *   password form, or a phone's session for the device grant) answers it;
 *   without one (or with `prompt=login` / `max_age` asking for a fresh
 *   sign-in) the person goes to /login, which names the app and comes back;
 * - consent: apps that are not first-party ask once per account (remembered).
 * A missing or ended interaction is a 400 page saying to go back to the app.
 */
export async function serveInteraction(
  { provider, clients }: Oidc,
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
  consentStep: boolean,
): Promise<void> {
  const locale = localeOf(req.headers);
  const headers = new Headers(req.headers as Record<string, string>);
  const ip = clientIp(headers);
  const t = translator(locale);
  let details: Awaited<ReturnType<typeof provider.interactionDetails>>;
  try {
    details = await provider.interactionDetails(req, res);
  } catch (error) {
    if ((error as Error).name !== "SessionNotFound") throw error;
    return html(
      res,
      400,
      page(locale, t("error.title"), `<h1>${t("error.title")}</h1><p>${t("error.expired")}</p>`),
    );
  }
  if (details.uid !== uid) {
    return html(
      res,
      400,
      page(locale, t("error.title"), `<h1>${t("error.title")}</h1><p>${t("error.expired")}</p>`),
    );
  }
  const clientId = String(details.params.client_id ?? "");
  const app = clients.get(clientId)?.client_name ?? clientId;

  if (details.prompt.name === "login") {
    const token = await signedIn(req);
    const fresh = details.prompt.reasons.some((r) => r === "login_prompt" || r === "max_age");
    if (!token?.sub || (fresh && (token.authTime ?? 0) < details.iat)) {
      return redirect(res, `/login?${new URLSearchParams({ callbackUrl: interactionPath(uid) })}`);
    }
    // The device grant's confirm screen cannot ask for a passkey: an account that approves
    // only with one (S51) is refused here, and the device's poll ends at once.
    if (details.deviceCode && !(await approvesWithoutPasskey(headers, token.sub))) {
      const code = await provider.DeviceCode.find(details.deviceCode, { ignoreExpiration: true });
      if (code) {
        Object.assign(code, {
          error: "access_denied",
          errorDescription: "The account approves sign-ins only with a passkey.",
        });
        await code.save();
      }
      auditUser("oidc_login", { userId: token.sub, outcome: "passkey_required", ip, clientId });
      const body = `<h1>${t("device.title")}</h1><p role="alert">${t("device.passkeyRequired")}</p>`;
      return html(res, 403, page(locale, t("device.title"), body));
    }
    auditUser("oidc_login", { userId: token.sub, outcome: "ok", ip, clientId });
    return provider.interactionFinished(
      req,
      res,
      { login: { accountId: token.sub, ts: token.authTime } },
      { mergeWithLastSubmission: false },
    );
  }

  if (details.prompt.name !== "consent") {
    return provider.interactionFinished(req, res, {
      error: "access_denied",
      error_description: `The ${details.prompt.name} step is not supported here.`,
    });
  }
  const missing = (details.prompt.details.missingOIDCScope as string[] | undefined) ?? [];
  if (!consentStep || req.method !== "POST") {
    const items = missing
      .filter((s) => s === "openid" || s === "profile")
      .map((s) => `<li>${t(`consent.claims.${s}`)}</li>`)
      .join("");
    const action = escapeHtml(`${interactionPath(uid)}/consent`);
    return html(
      res,
      200,
      page(
        locale,
        t("consent.pageTitle", { app }),
        `<h1>${t("consent.heading", { app })}</h1><p>${t("consent.lead", { app })}</p><ul>${items}</ul><p class="muted">${t("consent.remembered", { app })}</p><form method="post" action="${action}"><button class="primary" name="decision" value="allow">${t("consent.allow")}</button><button name="decision" value="deny">${t("consent.deny")}</button></form>`,
      ),
    );
  }
  if (isCrossSite(headers))
    return html(res, 403, page(locale, t("error.title"), `<h1>${t("error.title")}</h1>`));
  const decision = new URLSearchParams(await readForm(req)).get("decision");
  const accountId = details.session?.accountId;
  if (decision !== "allow" || !accountId) {
    return provider.interactionFinished(req, res, {
      error: "access_denied",
      error_description: "The person did not allow the app.",
    });
  }
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId });
  if (!grant) throw new Error("grant not found");
  grant.addOIDCScope(missing.join(" "));
  const claims = details.prompt.details.missingOIDCClaims as string[] | undefined;
  if (claims?.length) grant.addOIDCClaims(claims);
  const grantId = await grant.save();
  await rememberConsent(accountId, clientId, missing);
  auditUser("oidc_consent", { userId: accountId, outcome: "ok", ip, clientId });
  return provider.interactionFinished(
    req,
    res,
    { consent: { grantId } },
    { mergeWithLastSubmission: true },
  );
}

/** False when the account approves only with a passkey (it has one, or the setting is on). */
async function approvesWithoutPasskey(headers: Headers, userId: string): Promise<boolean> {
  try {
    await passkeys(headers).assertNotRequired(userId);
    return true;
  } catch (error) {
    if (refusalOf(error)?.code === "passkey_required") return false;
    throw error;
  }
}

async function readForm(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 4096) break;
  }
  return body;
}

function html(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    "Content-Security-Policy":
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  });
  res.end(body);
}

function redirect(res: ServerResponse, location: string) {
  res.writeHead(303, { Location: location, "Cache-Control": "no-store" });
  res.end();
}
