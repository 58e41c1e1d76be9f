import { webauthnOptions } from "@/lib/api/shapes";
import { ApiError } from "@/lib/http/errors";
import { methods, route } from "@/lib/http/handler";
import { passkeys } from "@/lib/passkeys";
import { stepUp } from "@/lib/passkeys/schema";
import { limitPasskeyBegin } from "@/lib/rate-limit";
import { users } from "@/lib/users";

/**
 * Options for navigator.credentials.create: a new passkey for this account.
 * With a passkey already registered, `stepUp` (an assertion from it) is required;
 * for the first one, the password entered again (`POST /api/passkeys/reauth`).
 * Limited per user (each challenge is kept for 2 minutes).
 */
const begin = route(
  {
    summary:
      "Options for navigator.credentials.create; with a passkey already registered, `stepUp` (an assertion for the options of `/api/passkeys/step-up`) is required, for the first one a recent `/api/passkeys/reauth` (else 403 reauth_required); limited per user (429)",
    tag: "passkeys",
    auth: "approver",
    body: stepUp,
    limit: ({ approver }) => limitPasskeyBegin(approver.userId),
    ok: [200, webauthnOptions],
    errors: [400, 401, 403, 415, 429, 503],
  },
  async ({ req, body, approver, reply }) => {
    const user = await users().get(approver.userId);
    if (!user) throw new ApiError("unauthorized");
    const options = await passkeys(req.headers).registrationOptions(user, approver, body.stepUp);
    return reply({ ...options });
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: begin });
