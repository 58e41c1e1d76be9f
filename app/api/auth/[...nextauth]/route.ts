import type { NextRequest } from "next/server";
import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { ApiError, errorResponse } from "@/lib/http/errors";
import { methods, toApiError } from "@/lib/http/handler";

type Context = { params: Promise<{ nextauth: string[] }> };

/** next-auth's actions; anything else under /api/auth is a 404 in the API's error shape. */
const ACTIONS = new Set([
  "csrf",
  "session",
  "providers",
  "signin",
  "signout",
  "callback",
  "error",
  "verify-request",
]);

/**
 * next-auth: `credentials` (phone sign-in) and `qr` (desktop claims a
 * confirmed ticket). Its own plain-text refusals ("This action with HTTP GET
 * is not supported") are answered in the API's error shape instead, and so
 * is a sign-out that could not end the session's record.
 */
async function handler(req: NextRequest, context: Context) {
  const [action] = (await context.params).nextauth;
  if (!action || !ACTIONS.has(action)) {
    return errorResponse(new ApiError("not_found", "No such API endpoint."));
  }
  let signOutError: unknown;
  let storeError: ApiError | undefined;
  const res = await NextAuth(
    req,
    context,
    authOptions({
      signOutFailed: (error) => (signOutError = error ?? new Error("sign-out")),
      storeFailed: (error) => (storeError = error),
    }),
  );
  // A sign-in (the desktop's claim, a phone's password) that could not reach the store: 503
  // with Retry-After, not next-auth's refusal, so the page retries (issue 25, item 4). No
  // cookie goes with it: next-auth set none for a failed authorize. A form posted without
  // JavaScript (a navigation) keeps next-auth's redirect, to a page that says what happened.
  if (storeError && req.headers.get("sec-fetch-mode") !== "navigate") {
    return errorResponse(storeError);
  }
  // A sign-out whose record could not be ended claims nothing: 503 (or the error's own
  // status), and the cookie stays, rather than a sign-out that comes undone when the
  // store is back (issue 21, item 10).
  if (signOutError !== undefined)
    return errorResponse(toApiError(signOutError, "/api/auth/signout"));
  const type = res.headers.get("content-type") ?? "";
  if (res.status >= 400 && !type.includes("json")) {
    return errorResponse(
      new ApiError(res.status === 405 ? "method_not_allowed" : "invalid_request"),
    );
  }
  return res;
}

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: handler as never,
  POST: handler as never,
});
