import { passkeySetting } from "@/lib/api/shapes";
import { methods, route } from "@/lib/http/handler";
import { passkeys } from "@/lib/passkeys";
import { requireSetting } from "@/lib/passkeys/schema";
import { firstRecoveryCodes } from "@/lib/recovery/first-codes";

/**
 * "Require a passkey to approve". Turning it on needs a passkey and the
 * password entered again (`POST /api/passkeys/reauth`); turning it off while
 * a passkey exists needs `stepUp`. The first time an account requires a
 * passkey, the answer carries its recovery codes (`recoveryCodes`, this once).
 */
const put = route(
  {
    summary:
      "“Require a passkey to approve”; turning it on needs a passkey and a recent `/api/passkeys/reauth` (403 reauth_required), turning it off while a passkey exists needs `stepUp`; the first time an account requires a passkey, the answer carries its recovery codes (`recoveryCodes`, this once)",
    tag: "passkeys",
    auth: "approver",
    body: requireSetting,
    ok: [200, passkeySetting],
    errors: [400, 401, 403, 415, 503],
  },
  async ({ req, body, approver, reply }) => {
    const service = passkeys(req.headers);
    await service.setRequired(approver, body.requireForApproval, body.stepUp);
    const status = await service.status(approver.userId);
    return reply({
      requireForApproval: status.setting,
      required: status.required,
      ...(await firstRecoveryCodes(approver.userId, status.required)),
    });
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ PUT: put });
