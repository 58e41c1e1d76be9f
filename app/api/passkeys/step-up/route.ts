import { methods, route } from "@/lib/http/handler";
import { json } from "@/lib/http/response";
import { passkeys } from "@/lib/passkeys";
import { limitPasskeyBegin } from "@/lib/rate-limit";

/** Options for navigator.credentials.get before an account change (its answer is that change's `stepUp`). */
const begin = route({ auth: "approver" }, async ({ req, approver }) => {
  await limitPasskeyBegin(approver.userId);
  return json(await passkeys(req.headers).stepUpOptions(approver));
});

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: begin });
