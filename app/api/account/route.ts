import { accounts } from "@/lib/accounts";
import { changeDisplayName, deleteAccount } from "@/lib/accounts/life";
import { forgetMobileToken } from "@/lib/auth/mobile-tokens";
import { ApiError } from "@/lib/http/errors";
import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { json } from "@/lib/http/response";
import { passkeys } from "@/lib/passkeys";
import { deleteBody, renameBody } from "./schema";

const view = (a: { id: string; username: string; displayName: string; createdAt: Date }) => ({
  id: a.id,
  username: a.username,
  displayName: a.displayName,
  createdAt: a.createdAt.toISOString(),
});

/** The signed-in phone's account. */
const read = route({ auth: "approver" }, async ({ approver }) => {
  const account = await (await accounts()).get(approver.userId);
  if (!account) throw new ApiError("unauthorized", "This account no longer exists.");
  return json(view(account));
});

/** A new display name: shown from now on, the computers waiting for this account included. */
const rename = route({ auth: "approver", body: renameBody }, async ({ approver, body }) =>
  json(view(await changeDisplayName(approver.userId, body.displayName))),
);

/**
 * Deletes the account (its password, or a passkey's `stepUp` from
 * `POST /api/passkeys/step-up`, is needed): every session signed out,
 * every record gone, webhook account.deleted. The answer says how many
 * sessions ended (this one included).
 */
const remove = route({ auth: "approver", body: deleteBody }, async ({ req, approver, body }) => {
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
  return json({ deleted: true, signedOut });
});

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: read,
  PATCH: rename,
  DELETE: remove,
});
