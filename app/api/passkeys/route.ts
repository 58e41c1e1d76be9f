import { passkeyList } from "@/lib/api/shapes";
import { methods, route } from "@/lib/http/handler";
import { passkeys, passkeyView } from "@/lib/passkeys";

/** This account's passkeys and whether approvals need one. */
const list = route(
  {
    summary: "This account's passkeys and whether approving needs one",
    tag: "passkeys",
    auth: "approver",
    ok: [200, passkeyList],
    errors: [401, 403, 503],
  },
  async ({ req, approver, reply }) => {
    const status = await passkeys(req.headers).status(approver.userId);
    return reply({
      passkeys: status.passkeys.map(passkeyView),
      requireForApproval: status.setting,
      required: status.required,
    });
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ GET: list });
