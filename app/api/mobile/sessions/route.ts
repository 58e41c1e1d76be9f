import { issueMobileToken } from "@/lib/auth/mobile-tokens";
import { ApiError, json } from "@/lib/http/errors";
import { route } from "@/lib/http/handler";
import { otherMethods } from "@/lib/http/other-methods";
import { clientIp } from "@/lib/http/request-info";
import { guardSignIn } from "@/lib/rate-limit";
import { users } from "@/lib/users";
import { signInBody } from "./schema";

/** Native-app sign-in: username and password for a revocable bearer token. */
export const POST = route({ body: signInBody }, async ({ req, body }) => {
  const user = await guardSignIn(body.username, clientIp(req.headers), () =>
    users().verify(body.username, body.password),
  );
  if (!user) throw new ApiError("invalid_credentials");
  const { token, expiresAt } = await issueMobileToken(user.id);
  return json({ token, user: { id: user.id, displayName: user.displayName }, expiresAt }, 201);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
