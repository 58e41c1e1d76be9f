import "server-only";
import type { Configuration, KoaContextWithOIDC } from "oidc-provider";
import type { ScannedTicket } from "../api/shapes";
import { locate } from "../geo/locate";
import { clientIp } from "../http/request-info";
import { describeUserAgent } from "../net/user-agent";
import { registry } from "../registry";
import { scanWarnings } from "../tickets/warnings";
import { escapeHtml, localeOf, page, translator } from "./pages";

type DeviceFlow = NonNullable<NonNullable<Configuration["features"]>["deviceFlow"]>;

const words = (ctx: Pick<KoaContextWithOIDC, "get">) => {
  const locale = localeOf({
    cookie: ctx.get("cookie") || undefined,
    "accept-language": ctx.get("accept-language") || undefined,
  });
  return { locale, t: translator(locale) };
};

/**
 * The provider's error page (a browser that followed a bad authorization
 * link): what happened in our words, the protocol's error and description
 * for the app's team. Its status is the library's (400 for a bad request).
 */
export const renderError: NonNullable<Configuration["renderError"]> = (ctx, out) => {
  const { locale, t } = words(ctx);
  const details = Object.entries(out)
    .map(([k, v]) => `${escapeHtml(k)}: ${escapeHtml(String(v))}`)
    .join("\n");
  const expired =
    out.error === "invalid_request" &&
    /session|interaction/i.test(String(out.error_description ?? ""));
  ctx.type = "html";
  ctx.body = page(
    locale,
    t("error.title"),
    `<h1>${t("error.title")}</h1><p>${expired ? t("error.expired") : t("error.lead")}</p><pre>${details}</pre>`,
  );
};

/**
 * The device grant's pages (RFC 8628), opened on the phone: the code to
 * type, then the confirm screen naming the app, the device's address,
 * place and browser, and the code it should show.
 */
export const deviceFlowPages: Pick<
  DeviceFlow,
  "userCodeInputSource" | "userCodeConfirmSource" | "successSource"
> = {
  async userCodeInputSource(ctx, form, _out, error) {
    const { locale, t } = words(ctx);
    const problem = !error
      ? t("device.enter")
      : error.name === "AbortedError"
        ? t("device.aborted")
        : "userCode" in error || error.name === "NoCodeError"
          ? t("device.wrong")
          : t("device.failed");
    const field = form
      .replace(
        'placeholder="Enter code"',
        `id="user_code" aria-describedby="device-problem" placeholder="BDWP-QHLT"`,
      )
      .replace(/ onfocus="[^"]*"/, "");
    ctx.body = page(
      locale,
      t("device.title"),
      `<h1>${t("device.title")}</h1><p role="status" id="device-problem">${problem}</p><label class="field-label" for="user_code">${t("device.code")}</label>${field}<div class="actions"><button class="btn btn-primary" type="submit" form="op.deviceInputForm">${t("device.continue")}</button></div>`,
    );
  },
  async userCodeConfirmSource(ctx, form, client, deviceInfo, userCode) {
    const { locale, t } = words(ctx);
    const app = client.clientName ?? client.clientId;
    const requester = await requesterView(ctx, deviceInfo, userCode);
    const render = registry().renderRequester;
    // The QR confirm screen's own warnings and details (S83); a plain line where not loaded.
    const details = render
      ? render(locale, requester)
      : `<p class="muted">${t("device.requestedFrom", { ip: requester.requester.ip || "?", browser: `${requester.requester.browser} · ${requester.requester.os}` })}</p>`;
    const warned = requester.warnings.length > 0;
    const approve = `<button class="btn ${warned ? "btn-secondary" : "btn-primary"}" type="submit" form="op.deviceConfirmForm">${t("device.approve")}</button>`;
    const deny = `<button class="btn btn-danger" type="submit" form="op.deviceConfirmForm" name="abort" value="yes">${t("device.deny")}</button>`;
    ctx.body = page(
      locale,
      t("device.title"),
      `<h1>${t("device.confirmHeading", { app })}</h1><p>${t("device.confirmLead", { code: userCode })}</p>${details}<p class="muted">${t("device.never")}</p>${form}<div class="answer-buttons">${warned ? deny + approve : approve + deny}</div>`,
    );
  },
  async successSource(ctx) {
    const { locale, t } = words(ctx);
    const app = ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId ?? "";
    ctx.body = page(
      locale,
      t("device.doneTitle"),
      `<h1>${t("device.doneTitle")}</h1><p role="status">${t("device.done", { app })}</p>`,
    );
  },
};

/**
 * The device asking, as the QR confirm screen sees a computer: its browser
 * and system, address, place, when it asked, its code, and the same relay
 * warnings (another network or country than the phone's; a device code is
 * meant to be typed long after it is shown, so no "old code" warning).
 */
async function requesterView(
  ctx: KoaContextWithOIDC,
  deviceInfo: unknown,
  userCode: string,
): Promise<ScannedTicket> {
  const info = (deviceInfo ?? {}) as { ip?: string; ua?: string };
  const ip = info.ip ?? "";
  const phoneIp = clientIp(new Headers(ctx.req.headers as Record<string, string>));
  const [requesterAt, phoneAt] = await Promise.all([
    ip ? locate(ip).catch(() => undefined) : undefined,
    phoneIp ? locate(phoneIp).catch(() => undefined) : undefined,
  ]);
  const iat = (ctx.oidc.entities.DeviceCode as { iat?: number } | undefined)?.iat;
  const createdAt = iat ? iat * 1000 : Date.now();
  return {
    ticketId: "",
    state: "scanned",
    app: ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId,
    userCode,
    expiresAt: new Date(createdAt).toISOString(),
    requester: {
      ...describeUserAgent(info.ua ?? ""),
      ip,
      createdAt: new Date(createdAt).toISOString(),
      ...(requesterAt ? { location: requesterAt } : {}),
    },
    warnings: scanWarnings(
      { createdAt, requester: { ip } },
      phoneIp,
      createdAt,
      { requester: requesterAt?.country, phone: phoneAt?.country },
      Number.POSITIVE_INFINITY,
    ),
  };
}

type Logout = NonNullable<NonNullable<Configuration["features"]>["rpInitiatedLogout"]>;

/**
 * RP-initiated logout's pages (`/oidc/session/end`): the question (sign out
 * of this site's provider session and the apps that use it?) and, when the
 * app gave no `post_logout_redirect_uri`, the page saying it is done.
 */
export const logoutPages: Pick<Logout, "logoutSource" | "postLogoutSuccessSource"> = {
  async logoutSource(ctx, form) {
    const { locale, t } = words(ctx);
    ctx.type = "html";
    ctx.body = page(
      locale,
      t("logoutHeading"),
      `<h1>${t("logoutHeading")}</h1><p>${t("logoutLead")}</p>${form}<div class="answer-buttons"><button class="btn btn-primary" type="submit" form="op.logoutForm" name="logout" value="yes">${t("logoutYes")}</button><button class="btn btn-secondary" type="submit" form="op.logoutForm">${t("logoutNo")}</button></div>`,
    );
  },
  async postLogoutSuccessSource(ctx) {
    const { locale, t } = words(ctx);
    const app = ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId ?? "";
    ctx.type = "html";
    ctx.body = page(
      locale,
      t("loggedOutTitle"),
      `<h1>${t("loggedOutTitle")}</h1><p role="status">${t("loggedOut", { app })}</p>`,
    );
  },
};

/** Too many device codes tried from this address (429): the code page again, saying so. */
export function deviceCodeRefused(ctx: Pick<KoaContextWithOIDC, "get" | "type" | "body">) {
  const { locale, t } = words(ctx);
  ctx.type = "html";
  ctx.body = page(
    locale,
    t("device.title"),
    `<h1>${t("device.title")}</h1><p role="alert">${t("device.tooMany")}</p>`,
  );
}
