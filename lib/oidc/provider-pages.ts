import "server-only";
import type { Configuration, KoaContextWithOIDC } from "oidc-provider";
import { locate } from "../geo/locate";
import { describeUserAgent } from "../net/user-agent";
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
        `aria-label="${t("device.code")}" placeholder="BDWP-QHLT"`,
      )
      .replace(/ onfocus="[^"]*"/, "");
    ctx.body = page(
      locale,
      t("device.title"),
      `<h1>${t("device.title")}</h1><p role="status">${problem}</p>${field}<button class="primary" type="submit" form="op.deviceInputForm">${t("device.continue")}</button>`,
    );
  },
  async userCodeConfirmSource(ctx, form, client, deviceInfo, userCode) {
    const { locale, t } = words(ctx);
    const app = client.clientName ?? client.clientId;
    const info = (deviceInfo ?? {}) as { ip?: string; ua?: string };
    const place = info.ip ? await locate(info.ip).catch(() => undefined) : undefined;
    const where = [info.ip, place?.city, place?.country].filter(Boolean).join(", ");
    const { browser, os } = describeUserAgent(info.ua ?? "");
    ctx.body = page(
      locale,
      t("device.title"),
      `<h1>${t("device.confirmHeading", { app })}</h1><p>${t("device.confirmLead", { code: userCode })}</p><p class="muted">${t("device.requestedFrom", { ip: where || "?", browser: `${browser} · ${os}` })}</p><p class="muted">${t("device.never")}</p>${form}<button class="primary" type="submit" form="op.deviceConfirmForm">${t("device.approve")}</button><button type="submit" form="op.deviceConfirmForm" name="abort" value="yes">${t("device.deny")}</button>`,
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
