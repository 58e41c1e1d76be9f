import { methods, route } from "@/lib/http/handler";
import { json } from "@/lib/http/response";
import { passkeys, passkeyView } from "@/lib/passkeys";
import { finishRegistration } from "@/lib/passkeys/schema";

/** Checks the new passkey against the challenge of `begin` (one-time) and keeps its public key. */
const finish = route(
  { auth: "approver", body: finishRegistration },
  async ({ req, body, approver }) => {
    const passkey = await passkeys(req.headers).register(approver, body.response, body.name);
    return json({ passkey: passkeyView(passkey) }, 201);
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: finish });
