import type { NextRequest } from "next/server";
import { isLocale, LOCALE_COOKIE } from "@/i18n/locales";
import { env } from "@/lib/env";
import { readForm, tooLargeForm } from "@/lib/http/form-body";
import { methods } from "@/lib/http/handler";
import { isLocalPath } from "@/lib/server/guard";

const YEAR_S = 365 * 24 * 3600;

/**
 * The language switch at the foot of every page posts here as a plain form
 * (works without JavaScript): the language is kept in a cookie for a year and
 * the browser goes back to the page it was on with a 303. Another site's
 * form changes nothing (it can only send the browser back).
 */
async function setLanguage(req: NextRequest) {
  const form = await readForm(req);
  if (!form) return tooLargeForm();
  const back = form.get("back") ?? "/";
  const locale = form.get("locale");
  const headers = new Headers({
    Location: isLocalPath(back) ? back : "/",
    "Cache-Control": "no-store",
  });
  if (isLocale(locale) && req.headers.get("sec-fetch-site") !== "cross-site") {
    const secure = env().secureCookies ? "; Secure" : "";
    headers.append(
      "Set-Cookie",
      `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=${YEAR_S}; SameSite=Lax${secure}`,
    );
  }
  return new Response(null, { status: 303, headers });
}

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: setLanguage as never,
});
