import { webauthnOptions } from "@/lib/api/shapes";
import { methods, route } from "@/lib/http/handler";
import { passkeys } from "@/lib/passkeys";
import { limitPasskeyBegin } from "@/lib/rate-limit";

/** Options for navigator.credentials.get before an account change (its answer is that change's `stepUp`). */
const begin = route(
  {
    summary:
      "Options for navigator.credentials.get before an account change; its answer is that change's `stepUp` (one-time)",
    tag: "passkeys",
    auth: "approver",
    limit: ({ approver }) => limitPasskeyBegin(approver.userId),
    ok: [200, webauthnOptions],
    errors: [401, 403, 404, 429, 503],
  },
  async ({ req, approver, reply }) =>
    reply({ ...(await passkeys(req.headers).stepUpOptions(approver)) }),
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: begin });
