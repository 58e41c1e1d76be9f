import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { json } from "@/lib/http/response";
import { passkeys } from "@/lib/passkeys";
import { reauthenticate } from "@/lib/passkeys/reauth";
import { reauthBody } from "@/lib/passkeys/schema";

/**
 * The password again (under the sign-in limits): for 5 minutes this phone
 * session may add its first passkey or turn "require a passkey" on.
 */
const post = route({ auth: "approver", body: reauthBody }, async ({ req, body, approver }) => {
  const until = await reauthenticate(
    passkeys(req.headers),
    approver,
    body.password,
    clientIp(req.headers),
  );
  return json({ reauthenticatedUntil: new Date(until).toISOString() });
});

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: post });
