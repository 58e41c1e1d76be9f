import { revokeMobileToken } from "@/lib/auth/mobile-tokens";
import { ApiError } from "@/lib/http/errors";
import { methods, route } from "@/lib/http/handler";
import { noContent } from "@/lib/http/response";

/** Sign the native app out: the bearer token stops working at once. */
const signOut = route({ auth: "approver" }, async ({ approver }) => {
  if (!approver.token) throw new ApiError("unauthorized", "Send the bearer token to revoke.");
  await revokeMobileToken(approver.token);
  return noContent();
});

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = methods({ DELETE: signOut });
