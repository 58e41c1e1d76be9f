import "server-only";
import { recoveryCodes } from "../accounts";
import { logger } from "../log";

/**
 * The account's first recovery codes, when it has just come to require a
 * passkey (its first passkey, or "require a passkey" turned on) and never had
 * any: `{recoveryCodes}` to add to that answer, shown this once; `{}` when it
 * had codes already. A failure leaves the change made: the codes can be made
 * on /m/security (logged, not hidden).
 */
export async function firstRecoveryCodes(
  userId: string,
  required: boolean,
): Promise<{ recoveryCodes?: string[] }> {
  if (!required) return {};
  try {
    const codes = await recoveryCodes().issue(userId, { onlyFirst: true });
    return codes ? { recoveryCodes: codes } : {};
  } catch (error) {
    logger().warn({ err: String(error) }, "first recovery codes not made");
    return {};
  }
}
