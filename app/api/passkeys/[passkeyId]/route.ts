import { methods, route } from "@/lib/http/handler";
import { passkeys } from "@/lib/passkeys";
import { passkeyParams, stepUp } from "@/lib/passkeys/schema";

/** Removes a passkey; needs `stepUp`, an assertion from one of this account's passkeys. */
const remove = route(
  {
    summary:
      "Remove a passkey; needs `stepUp`; 409 for the last one while “require a passkey” is on",
    tag: "passkeys",
    auth: "approver",
    params: passkeyParams,
    body: stepUp,
    ok: [204, null],
    errors: [400, 401, 403, 404, 409, 415, 503],
  },
  async ({ req, params, body, approver, reply }) => {
    await passkeys(req.headers).remove(approver, params.passkeyId, body.stepUp);
    return reply(null);
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ DELETE: remove });
