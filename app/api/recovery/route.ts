import { authenticateApprover } from "@/lib/auth/approver";
import { ApiError } from "@/lib/http/errors";
import { methods, route } from "@/lib/http/handler";
import { clientIp, isCrossSite } from "@/lib/http/request-info";
import { json } from "@/lib/http/response";
import { recoverAccount } from "@/lib/recovery/recover";
import { recoveryBody } from "./schema";

/**
 * Lost passkey: username, password and one recovery code lift the account's
 * passkey requirement and sign its other sessions out. No session needed; a
 * phone session of the same account (cookie or bearer) that asks stays signed in.
 */
const post = route({ body: recoveryBody }, async ({ req, body }) => {
  if (isCrossSite(req.headers)) throw new ApiError("cross_site");
  const keep = await authenticateApprover(req).catch(() => undefined);
  const done = await recoverAccount(body, {
    ip: clientIp(req.headers),
    userAgent: req.headers.get("user-agent") ?? "",
    keep,
  });
  return json({
    passkeysRemoved: done.passkeysRemoved,
    codesLeft: done.codesLeft,
    signedOut: done.signedOut,
  });
});

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: post });
