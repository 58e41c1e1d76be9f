import { methods, route } from "@/lib/http/handler";
import { json } from "@/lib/http/response";
import { passkeys } from "@/lib/passkeys";
import { requireSetting } from "@/lib/passkeys/schema";
import { firstRecoveryCodes } from "@/lib/recovery/first-codes";

/**
 * "Require a passkey to approve". Turning it on needs a passkey and the
 * password entered again (`POST /api/passkeys/reauth`); turning it off while
 * a passkey exists needs `stepUp`. The first time an account requires a
 * passkey, the answer carries its recovery codes (`recoveryCodes`, this once).
 */
const put = route({ auth: "approver", body: requireSetting }, async ({ req, body, approver }) => {
  const service = passkeys(req.headers);
  await service.setRequired(approver, body.requireForApproval, body.stepUp);
  const status = await service.status(approver.userId);
  return json({
    requireForApproval: status.setting,
    required: status.required,
    ...(await firstRecoveryCodes(approver.userId, status.required)),
  });
});

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ PUT: put });
