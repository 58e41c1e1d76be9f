import { issueMobileToken } from "@/lib/auth/mobile-tokens";
import { ApiError, json } from "@/lib/http/errors";
import { route } from "@/lib/http/handler";
import { users } from "@/lib/users";
import { signInBody } from "./schema";

/** Native-app sign-in: username and password for a revocable bearer token. */
export const POST = route({ body: signInBody }, async ({ body }) => {
  const user = await users().verify(body.username, body.password);
  if (!user) throw new ApiError("invalid_credentials");
  const { token, expiresAt } = await issueMobileToken(user.id);
  return json({ token, user: { id: user.id, displayName: user.displayName }, expiresAt }, 201);
});
