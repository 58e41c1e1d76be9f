import { mobileSession } from "@/lib/api/shapes";
import { issueMobileToken } from "@/lib/auth/mobile-tokens";
import { ApiError } from "@/lib/http/errors";
import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { guardSignIn } from "@/lib/rate-limit";
import { idempotencyKeyOf, sessionIdForSignIn } from "@/lib/sessions/sign-in-once";
import { users } from "@/lib/users";
import { signInBody } from "./schema";

/**
 * Native-app sign-in: username and password for a revocable bearer token. With
 * an `Idempotency-Key` header, a resent sign-in gets a token for the same phone session.
 */
const signIn = route(
  {
    summary:
      "Native-app sign-in: a bearer token (a phone session). Send `Idempotency-Key` (16–128 of A–Z a–z 0–9 _ -) to make a resent sign-in one session",
    tag: "approver",
    body: signInBody,
    ok: [201, mobileSession],
    errors: [400, 401, 403, 415, 429, 503],
  },
  async ({ req, body, reply }) => {
    const user = await guardSignIn(body.username, clientIp(req.headers), () =>
      users().verify(body.username, body.password),
    );
    if (!user) throw new ApiError("invalid_credentials");
    const userAgent = req.headers.get("user-agent") ?? "";
    // The same sign-in resent (its Idempotency-Key): a token for the session its first try made.
    const key = idempotencyKeyOf(req.headers.get("idempotency-key"));
    const sessionId = await sessionIdForSignIn(user.id, key);
    const client = { userAgent, ip: clientIp(req.headers) };
    const { token, expiresAt } = await issueMobileToken(user.id, client, sessionId);
    return reply({ token, user: { id: user.id, displayName: user.displayName }, expiresAt });
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: signIn });
