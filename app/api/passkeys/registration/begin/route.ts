import { ApiError } from "@/lib/http/errors";
import { methods, route } from "@/lib/http/handler";
import { json } from "@/lib/http/response";
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
const begin = route({ auth: "approver", body: stepUp }, async ({ req, body, approver }) => {
  await limitPasskeyBegin(approver.userId);
  const user = await users().get(approver.userId);
  if (!user) throw new ApiError("unauthorized");
  const options = await passkeys(req.headers).registrationOptions(user, approver, body.stepUp);
  return json(options);
});

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: begin });
