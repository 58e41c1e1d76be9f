import { methods, route } from "@/lib/http/handler";
import { noContent } from "@/lib/http/response";
import { passkeys } from "@/lib/passkeys";
import { passkeyParams, stepUp } from "@/lib/passkeys/schema";

/** Removes a passkey; needs `stepUp`, an assertion from one of this account's passkeys. */
const remove = route(
  { auth: "approver", params: passkeyParams, body: stepUp },
  async ({ req, params, body, approver }) => {
    await passkeys(req.headers).remove(approver, params.passkeyId, body.stepUp);
    return noContent();
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ DELETE: remove });
