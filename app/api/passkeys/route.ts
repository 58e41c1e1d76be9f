import { methods, route } from "@/lib/http/handler";
import { json } from "@/lib/http/response";
import { passkeys, passkeyView } from "@/lib/passkeys";

/** This account's passkeys and whether approvals need one. */
const list = route({ auth: "approver" }, async ({ req, approver }) => {
  const status = await passkeys(req.headers).status(approver.userId);
  return json({
    passkeys: status.passkeys.map(passkeyView),
    requireForApproval: status.setting,
    required: status.required,
  });
});

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ GET: list });
