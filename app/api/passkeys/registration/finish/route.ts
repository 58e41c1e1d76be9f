import { passkeyCreated } from "@/lib/api/shapes";
import { methods, route } from "@/lib/http/handler";
import { passkeys, passkeyView } from "@/lib/passkeys";
import { finishRegistration } from "@/lib/passkeys/schema";
import { firstRecoveryCodes } from "@/lib/recovery/first-codes";

/**
 * Checks the new passkey against the challenge of `begin` (one-time) and
 * keeps its public key. The account's first passkey comes with its first
 * recovery codes (`recoveryCodes`, in this answer only).
 */
const finish = route(
  {
    summary:
      "Keep the new passkey (RegistrationResponseJSON for the options of `begin`); 409 conflict when the credential is registered already (to any account) or the account's passkeys changed since `begin`; the account's first passkey comes with its first recovery codes (`recoveryCodes`, this answer only)",
    tag: "passkeys",
    auth: "approver",
    body: finishRegistration,
    ok: [201, passkeyCreated],
    errors: [400, 401, 403, 409, 415, 503],
  },
  async ({ req, body, approver, reply }) => {
    const passkey = await passkeys(req.headers).register(approver, body.response, body.name);
    return reply({
      passkey: passkeyView(passkey),
      ...(await firstRecoveryCodes(approver.userId, true)),
    });
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: finish });
