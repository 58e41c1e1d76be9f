import { reauthenticated } from "@/lib/api/shapes";
import { reauthenticate } from "@/lib/auth/reauth";
import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { passkeys } from "@/lib/passkeys";
import { reauthBody } from "@/lib/passkeys/schema";

/**
 * The password again (under the sign-in limits): for 5 minutes this phone
 * session may add its first passkey or turn "require a passkey" on.
 */
const post = route(
  {
    summary:
      "The account's password entered again (under the sign-in limits): for 5 minutes this phone session may add its first passkey or turn “require a passkey” on",
    tag: "passkeys",
    auth: "approver",
    body: reauthBody,
    ok: [200, reauthenticated],
    errors: [400, 401, 403, 415, 429, 503],
  },
  async ({ req, body, approver, reply }) => {
    const until = await reauthenticate(
      passkeys(req.headers),
      approver,
      body.password,
      clientIp(req.headers),
    );
    return reply({ reauthenticatedUntil: new Date(until).toISOString() });
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: post });
