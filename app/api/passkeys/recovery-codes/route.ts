import { recoveryCodes } from "@/lib/accounts";
import { ApiError } from "@/lib/http/errors";
import { methods, route } from "@/lib/http/handler";
import { json } from "@/lib/http/response";
import { passkeys } from "@/lib/passkeys";

/** How many unused recovery codes this account has. */
const get = route({ auth: "approver" }, async ({ approver }) =>
  json({ remaining: await recoveryCodes().remaining(approver.userId) }),
);

/**
 * Ten new recovery codes, replacing every old one; shown in this answer only.
 * Needs the password entered again (`POST /api/passkeys/reauth`).
 */
const post = route({ auth: "approver" }, async ({ req, approver }) => {
  if ((await passkeys(req.headers).reauthenticatedUntil(approver)) === null) {
    throw new ApiError("reauth_required");
  }
  const codes = await recoveryCodes().issue(approver.userId);
  if (!codes) throw new ApiError("unauthorized");
  return json({ codes }, 201);
});

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ GET: get, POST: post });
