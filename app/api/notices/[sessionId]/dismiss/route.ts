import { ApiError } from "@/lib/http/errors";
import { methods, route } from "@/lib/http/handler";
import { dismissNotice } from "@/lib/notices/notices";
import { sessionParams } from "../../../sessions/[sessionId]/schema";

/** "Yes, that was me": the notice goes from every phone. */
const dismiss = route(
  {
    summary:
      "“Yes, it was me”: hide the notice on every phone (sign it out with DELETE /api/sessions/{sessionId})",
    tag: "notices",
    auth: "approver",
    params: sessionParams,
    ok: [204, null],
    errors: [400, 401, 403, 404, 503],
  },
  async ({ params, approver, reply }) => {
    if (!(await dismissNotice(approver.userId, approver.sessionId, params.sessionId))) {
      throw new ApiError("not_found", "No such sign-in notice; it may be dismissed already.");
    }
    return reply(null);
  },
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: dismiss });
