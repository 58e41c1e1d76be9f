import { authenticateApprover } from "@/lib/auth/approver";
import { ApiError, json } from "@/lib/http/errors";
import { route } from "@/lib/http/handler";
import { otherMethods } from "@/lib/http/other-methods";
import { clientIp } from "@/lib/http/request-info";
import { auditUser } from "@/lib/log";
import { guardLookup } from "@/lib/rate-limit";
import { tickets } from "@/lib/tickets";
import { lookupBody } from "./schema";

/**
 * The type-a-code path: the phone sends the code shown under the QR and gets
 * the ticket it names, then goes on exactly as after a scan. Guesses are
 * limited per approver and per IP (see guardLookup).
 */
export const POST = route({ body: lookupBody }, async ({ req, body }) => {
  const { userId } = await authenticateApprover(req);
  const ip = clientIp(req.headers);
  let ticketId: string | null;
  try {
    ticketId = await guardLookup(userId, ip, () => tickets().findByUserCode(body.userCode));
  } catch (error) {
    if (ApiError.is(error)) auditUser("lookup", { userId, ip, outcome: error.code });
    throw error;
  }
  auditUser("lookup", { userId, ip, outcome: ticketId ? "ok" : "not_found" });
  if (!ticketId) {
    throw new ApiError(
      "not_found",
      "No sign-in request has this code. Check the code on the computer; each code works for 2 minutes.",
    );
  }
  return json({ ticketId });
});

export const { GET, PUT, PATCH, DELETE } = otherMethods(["POST"]);
