import { recovered } from "@/lib/api/shapes";
import { authenticateApprover } from "@/lib/auth/approver";
import { methods, route } from "@/lib/http/handler";
import { clientIp } from "@/lib/http/request-info";
import { recoverAccount } from "@/lib/recovery/recover";
import { recoveryBody } from "./schema";

/**
 * Lost passkey: username, password and one recovery code lift the account's
 * passkey requirement and sign its other sessions out. No session needed; a
 * phone session of the same account (cookie or bearer) that asks stays signed in.
 */
const post = route(
  {
    summary:
      "Lost passkey: username, password and one unused recovery code (used up) remove the account's passkeys and turn “require a passkey” off, sign its other sessions out (a phone session of the same account that asks stays) and tell its phones and the webhook (`account.recovered`); one answer (401 invalid_credentials) for any wrong part, 403 account_disabled for a disabled account; limited per username and IP (429)",
    tag: "passkeys",
    sameSite: true,
    body: recoveryBody,
    ok: [200, recovered],
    errors: [400, 401, 403, 413, 415, 429, 503],
  },
  async ({ req, body, reply }) => {
    const keep = await authenticateApprover(req).catch(() => undefined);
    const done = await recoverAccount(body, {
      ip: clientIp(req.headers),
      userAgent: req.headers.get("user-agent") ?? "",
      keep,
    });
    return reply({
      passkeysRemoved: done.passkeysRemoved,
      codesLeft: done.codesLeft,
      signedOut: done.signedOut,
    });
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: post });
