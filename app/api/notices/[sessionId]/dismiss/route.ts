import { ApiError } from "@/lib/http/errors";
import { methods, route } from "@/lib/http/handler";
import { noContent } from "@/lib/http/response";
import { dismissNotice } from "@/lib/notices/notices";
import { sessionParams } from "../../../sessions/[sessionId]/schema";

/** "Yes, that was me": the notice goes from every phone. */
const dismiss = route({ auth: "approver", params: sessionParams }, async ({ params, approver }) => {
  if (!(await dismissNotice(approver.userId, approver.sessionId, params.sessionId))) {
    throw new ApiError("not_found", "No such sign-in notice; it may be dismissed already.");
  }
  return noContent();
});

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ POST: dismiss });
