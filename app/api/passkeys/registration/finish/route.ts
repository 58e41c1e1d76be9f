import { methods, route } from "@/lib/http/handler";
import { json } from "@/lib/http/response";
import { passkeys, passkeyView } from "@/lib/passkeys";
import { finishRegistration } from "@/lib/passkeys/schema";
import { firstRecoveryCodes } from "@/lib/recovery/first-codes";

/**
 * Checks the new passkey against the challenge of `begin` (one-time) and
 * keeps its public key. The account's first passkey comes with its first
 * recovery codes (`recoveryCodes`, in this answer only).
 */
const finish = route(
  { auth: "approver", body: finishRegistration },
  async ({ req, body, approver }) => {
    const passkey = await passkeys(req.headers).register(approver, body.response, body.name);
    return json(
      { passkey: passkeyView(passkey), ...(await firstRecoveryCodes(approver.userId, true)) },
      201,
    );
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: finish });
