import "server-only";
import { Refusal } from "../errors";
import type { Passkeys } from "../passkeys/passkeys";
import { guardSignIn } from "../rate-limit";
import { users } from "../users";
import type { Approver } from "./approver";

/**
 * The password entered again on a signed-in phone: checked under the sign-in
 * limits (per username and IP, and per IP), then this phone session may, for
 * 5 minutes, add a first passkey or turn "require a passkey" on. A stolen
 * phone cookie or token alone cannot. Returns when the mark runs out.
 */
export async function reauthenticate(
  service: Passkeys,
  approver: Approver,
  password: string,
  clientIp: string,
) {
  const user = await users().get(approver.userId);
  if (!user) throw new Refusal("unauthorized");
  const checked = await guardSignIn(user.username, clientIp, () =>
    users().verify(user.username, password),
  );
  if (checked?.id !== approver.userId) {
    throw new Refusal("invalid_credentials", "Wrong password.");
  }
  return service.markReauthenticated(approver);
}
