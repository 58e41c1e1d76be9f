import { authenticateApprover } from "@/lib/auth/approver";
import { revokeMobileToken } from "@/lib/auth/mobile-tokens";
import { ApiError } from "@/lib/http/errors";
import { route } from "@/lib/http/handler";
import { otherMethods } from "@/lib/http/other-methods";

/** Sign the native app out: the bearer token stops working at once. */
export const DELETE = route({}, async ({ req }) => {
  const { token } = await authenticateApprover(req);
  if (!token) throw new ApiError("unauthorized", "Send the bearer token to revoke.");
  await revokeMobileToken(token);
  return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
});

export const { GET, POST, PUT, PATCH } = otherMethods(["DELETE"]);
