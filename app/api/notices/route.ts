import { methods, route } from "@/lib/http/handler";
import { json } from "@/lib/http/response";
import { signInNotices } from "@/lib/notices/notices";

/** New sign-ins on computers that this phone did not approve, newest first. */
const list = route({ auth: "approver" }, async ({ approver }) =>
  json({ notices: await signInNotices(approver.userId, approver.sessionId) }),
);

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ GET: list });
