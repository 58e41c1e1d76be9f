import { accounts } from "@/lib/accounts";
import { accountDeleted, accountInfo } from "@/lib/api/shapes";
import { changeDisplayName, deleteAccount } from "@/lib/auth/account-life";
import { forgetMobileToken } from "@/lib/auth/mobile-tokens";
import { ApiError } from "@/lib/http/errors";
import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { passkeys } from "@/lib/passkeys";
import { deleteBody, renameBody } from "./schema";

const TAG = "account";

const view = (a: { id: string; username: string; displayName: string; createdAt: Date }) => ({
  id: a.id,
  username: a.username,
  displayName: a.displayName,
  createdAt: a.createdAt.toISOString(),
});

/** The signed-in phone's account. */
const read = route(
  {
    summary: "This phone's account",
    tag: TAG,
    auth: "approver",
    ok: [200, accountInfo],
    errors: [401, 403, 503],
  },
  async ({ approver, reply }) => {
    const account = await (await accounts()).get(approver.userId);
    if (!account) throw new ApiError("unauthorized", "This account no longer exists.");
    return reply(view(account));
  },
);

/** A new display name: shown from now on, the computers waiting for this account included. */
const rename = route(
  {
    summary: "A new display name (shown at once on every computer waiting for this account)",
    tag: TAG,
    auth: "approver",
    body: renameBody,
    ok: [200, accountInfo],
    errors: [400, 401, 403, 415, 503],
  },
  async ({ approver, body, reply }) =>
    reply(view(await changeDisplayName(approver.userId, body.displayName))),
);

/**
 * Deletes the account (its password, or a passkey's `stepUp` from
 * `POST /api/passkeys/step-up`, is needed): every session signed out,
 * every record gone, webhook account.deleted. The answer says how many
 * sessions ended (this one included).
 */
const remove = route(
  {
    summary:
      "Delete the account: its `password` (403 wrong_password otherwise) or, from a native app, `stepUp` — a passkey's assertion for the options of POST /api/passkeys/step-up (400 passkey_failed otherwise). Every session signed out, every record removed, webhook account.deleted",
    tag: TAG,
    auth: "approver",
    body: deleteBody,
    ok: [200, accountDeleted],
    errors: [400, 401, 403, 415, 429, 503],
  },
  async ({ req, approver, body, reply }) => {
    const asker = {
      userId: approver.userId,
      sessionId: approver.sessionId,
      ip: clientIp(req.headers),
    };
    const { stepUp } = body;
    const signedOut = await deleteAccount(
      asker,
      stepUp
        ? { passkey: () => passkeys(req.headers).confirm(approver, stepUp) }
        : { password: body.password ?? "" },
    );
    if (approver.token) await forgetMobileToken(approver.token).catch(() => {});
    return reply({ deleted: true, signedOut });
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: read,
  PATCH: rename,
  DELETE: remove,
});
