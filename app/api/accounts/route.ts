import { signUpFields } from "@/lib/accounts/fields";
import { accountCreated } from "@/lib/api/shapes";
import { issueMobileToken } from "@/lib/auth/mobile-tokens";
import { signUp } from "@/lib/auth/sign-up";
import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";

/**
 * Native-app sign-up (SIGNUP=open): a new account, and the app signed in as
 * it — the same answer as `POST /api/mobile/sessions`. 403 signup_closed when
 * sign-up is closed; 409 username_taken when the name is someone's.
 */
const create = route(
  {
    summary:
      "Sign-up (SIGNUP=open): a new account and a bearer token for it (a phone session); 403 signup_closed when sign-up is closed, 409 username_taken when the name (in any spelling that normalises the same) is someone's",
    tag: "account",
    body: signUpFields,
    ok: [201, accountCreated],
    errors: [400, 403, 409, 415, 429, 503],
  },
  async ({ req, body, reply }) => {
    const ip = clientIp(req.headers);
    const user = await signUp(body, ip);
    const userAgent = req.headers.get("user-agent") ?? "";
    const { token, expiresAt } = await issueMobileToken(user.id, { userAgent, ip });
    return reply({
      token,
      user: { id: user.id, username: user.username, displayName: user.displayName },
      expiresAt,
    });
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: create });
