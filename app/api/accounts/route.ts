import { signUpFields } from "@/lib/accounts/fields";
import { signUp } from "@/lib/accounts/sign-up";
import { issueMobileToken } from "@/lib/auth/mobile-tokens";
import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { json } from "@/lib/http/response";

/**
 * Native-app sign-up (SIGNUP=open): a new account, and the app signed in as
 * it — the same answer as `POST /api/mobile/sessions`. 403 signup_closed when
 * sign-up is closed; 409 username_taken when the name is someone's.
 */
const create = route({ body: signUpFields }, async ({ req, body }) => {
  const ip = clientIp(req.headers);
  const user = await signUp(body, ip);
  const userAgent = req.headers.get("user-agent") ?? "";
  const { token, expiresAt } = await issueMobileToken(user.id, { userAgent, ip });
  return json(
    {
      token,
      user: { id: user.id, username: user.username, displayName: user.displayName },
      expiresAt,
    },
    201,
  );
});

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: create });
