import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, errorBodyOf, refusalOf } from "../http/errors";
import { clientIp, isCrossSite } from "../http/request-info";
import { auditUser } from "../log";
import { passkeys } from "../passkeys";
import { limitPasskeyBegin } from "../rate-limit";
import { rememberConsent } from "./consents";
import { escapeHtml, localeOf, page, translator } from "./pages";
import { PASSKEY_SCRIPT_PATH } from "./passkey-script";
import { OIDC_PATH, type Oidc } from "./provider";
import { signedIn } from "./site-session";

/** The interaction's own routes, served before the provider: `/oidc/interaction/<uid>[/consent]`. */
export const INTERACTION = /^\/oidc\/interaction\/([A-Za-z0-9_-]{1,64})(?:\/(consent|passkey))?$/;

/** A step of the interaction: the page itself, the consent form's answer, the passkey's. */
export type InteractionStep = "consent" | "passkey" | undefined;

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
  step: InteractionStep,
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
    // A device grant approved by an account that approves only with a passkey (S51): the
    // phone is asked for it here, as the QR confirm screen asks (S80).
    if (details.deviceCode && !(await approvesWithoutPasskey(headers, token.sub))) {
      const asker = { userId: token.sub, sessionId: String(token.sid ?? "") };
      const requestId = `oidc-device-${uid}`;
      if (step !== "passkey" || req.method !== "POST") {
        return html(res, 200, passkeyPage(locale, app, uid), { script: true });
      }
      if (isCrossSite(headers)) return json(res, 403, errorBodyOf(new ApiError("cross_site")));
      const body = await readForm(req, 16_384);
      if (!(req.headers["content-type"] ?? "").startsWith("application/json")) {
        // The page's Deny (a plain form): the device's poll ends with access_denied.
        auditUser("oidc_login", { userId: token.sub, outcome: "denied", ip, clientId });
        return provider.interactionFinished(req, res, {
          error: "access_denied",
          error_description: "The person denied the device on their phone.",
        });
      }
      let sent: { response?: unknown } = {};
      try {
        sent = JSON.parse(body || "{}") as { response?: unknown };
      } catch {
        return json(res, 400, errorBodyOf(new ApiError("invalid_json")));
      }
      const keys = passkeys(headers);
      try {
        if (sent.response === undefined) {
          // Limited per account with the other passkey challenges (429 with Retry-After).
          await limitPasskeyBegin(token.sub);
          return json(
            res,
            200,
            await keys.requestApprovalOptions(requestId, asker, details.exp * 1000),
          );
        }
        await keys.verifyRequestApproval(
          requestId,
          asker,
          sent.response as Parameters<typeof keys.verifyRequestApproval>[2],
        );
      } catch (error) {
        const refused = refusalOf(error);
        if (!refused || refused.status >= 500) throw error;
        auditUser("oidc_login", { userId: token.sub, outcome: refused.code, ip, clientId });
        return json(res, refused.status, errorBodyOf(refused), refused.headers);
      }
      auditUser("oidc_login", { userId: token.sub, outcome: "ok_passkey", ip, clientId });
      const redirectTo = await provider.interactionResult(
        req,
        res,
        {
          login: { accountId: token.sub, ts: Math.floor(Date.now() / 1000), amr: ["hwk", "user"] },
        },
        { mergeWithLastSubmission: false },
      );
      return json(res, 200, { redirectTo });
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
  if (step !== "consent" || req.method !== "POST") {
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
        `<h1>${t("consent.heading", { app })}</h1><p>${t("consent.lead", { app })}</p><ul>${items}</ul><p class="muted">${t("consent.remembered", { app })}</p><form method="post" action="${action}"><div class="answer-buttons"><button class="btn btn-primary" name="decision" value="allow">${t("consent.allow")}</button><button class="btn btn-secondary" name="decision" value="deny">${t("consent.deny")}</button></div></form>`,
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

async function readForm(req: IncomingMessage, limit = 4096): Promise<string> {
  let body = "";
  for await (const chunk of req) {
    body += chunk;
    if (body.length > limit) break;
  }
  return body;
}

/**
 * The device grant's passkey step: the app and what to do, a button that
 * asks for the passkey (lib/oidc/passkey-script.ts, the page's only script)
 * and Deny, a plain form.
 */
function passkeyPage(locale: Parameters<typeof translator>[0], app: string, uid: string): string {
  const t = translator(locale);
  const base = escapeHtml(`${interactionPath(uid)}/passkey`);
  const words = escapeHtml(
    JSON.stringify({
      cancelled: t("device.passkeyCancelled"),
      working: t("device.passkeyWorking"),
    }),
  );
  return page(
    locale,
    t("device.title"),
    `<h1>${t("device.passkeyHeading", { app })}</h1><p>${t("device.passkeyLead")}</p><noscript><p role="alert">${t("device.passkeyNoScript")}</p></noscript><p id="passkey-status" role="status" aria-live="polite"></p><form method="post" action="${base}" id="passkey-form" data-words="${words}"><div class="answer-buttons"><button class="btn btn-primary" type="button" id="passkey-approve">${t("device.passkeyButton")}</button><button class="btn btn-secondary" type="submit" name="decision" value="deny">${t("device.deny")}</button></div></form><script src="${PASSKEY_SCRIPT_PATH}"></script>`,
  );
}

function html(res: ServerResponse, status: number, body: string, { script = false } = {}) {
  res.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    "Content-Security-Policy": `default-src 'none'; style-src 'unsafe-inline'; ${script ? "script-src 'self'; connect-src 'self'; " : ""}frame-ancestors 'none'; base-uri 'none'`,
  });
  res.end(body);
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Cache-Control": "no-store",
    ...headers,
  });
  res.end(JSON.stringify(body));
}

function redirect(res: ServerResponse, location: string) {
  res.writeHead(303, { Location: location, "Cache-Control": "no-store" });
  res.end();
}
