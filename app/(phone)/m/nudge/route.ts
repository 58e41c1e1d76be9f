import type { NextRequest } from "next/server";
import { currentUser } from "@/lib/auth/session";
import { MAX_BODY_BYTES, methods } from "@/lib/http/handler";
import { readCapped } from "@/lib/http/read-capped";
import { nudgeDismissedCookie } from "@/lib/phone/nudge";
import { isLocalPath } from "@/lib/server/guard";

/**
 * "Not now" on the second-passkey prompt: a plain form posts here (works
 * without JavaScript, and needs no Origin, which the phone pages' no-referrer
 * policy sends as `null`); the choice is kept on this phone for this account
 * and the browser goes back with a 303. Another site's form changes nothing.
 */
async function dismiss(req: NextRequest) {
  // A chunked body has no Content-Length for the server's cap to check: capped here.
  const body = await readCapped(req.body, MAX_BODY_BYTES);
  const back = new URLSearchParams(body ? new TextDecoder().decode(body) : "").get("back") ?? "/m";
  const headers = new Headers({
    Location: isLocalPath(back) ? back : "/m",
    "Cache-Control": "no-store",
  });
  const user = await currentUser();
  if (user?.kind === "phone" && req.headers.get("sec-fetch-site") !== "cross-site") {
    headers.append("Set-Cookie", nudgeDismissedCookie(user.id));
  }
  return new Response(null, { status: 303, headers });
}

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: dismiss as never,
});
