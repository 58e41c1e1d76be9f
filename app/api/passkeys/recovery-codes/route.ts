import { recoveryCodes } from "@/lib/accounts";
import { recoveryCodesIssued, recoveryCodesLeft } from "@/lib/api/shapes";
import { ApiError } from "@/lib/http/errors";
import { methods, route } from "@/lib/http/handler";
import { passkeys } from "@/lib/passkeys";

/** How many unused recovery codes this account has. */
const get = route(
  {
    summary: "How many unused one-time recovery codes this account has",
    tag: "passkeys",
    auth: "approver",
    ok: [200, recoveryCodesLeft],
    errors: [401, 403, 503],
  },
  async ({ approver, reply }) =>
    reply({ remaining: await recoveryCodes().remaining(approver.userId) }),
);

/**
 * Ten new recovery codes, replacing every old one; shown in this answer only.
 * Needs the password entered again (`POST /api/passkeys/reauth`).
 */
const post = route(
  {
    summary:
      "Ten new recovery codes, replacing every old one, shown in this answer only; needs a recent `/api/passkeys/reauth` (403 reauth_required)",
    tag: "passkeys",
    auth: "approver",
    ok: [201, recoveryCodesIssued],
    errors: [401, 403, 503],
  },
  async ({ req, approver, reply }) => {
    if ((await passkeys(req.headers).reauthenticatedUntil(approver)) === null) {
      throw new ApiError("reauth_required");
    }
    const codes = await recoveryCodes().issue(approver.userId);
    if (!codes) throw new ApiError("unauthorized");
    return reply({ codes });
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ GET: get, POST: post });
