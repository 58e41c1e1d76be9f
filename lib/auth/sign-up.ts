import "server-only";
import { accounts } from "../accounts";
import type { SignUpFields } from "../accounts/fields";
import { env } from "../env";
import { ApiError } from "../http/errors";
import { limitSignUp } from "../rate-limit";
import type { User } from "../users/directory";

/**
 * Creates an account for anyone, when SIGNUP=open: one point of the sign-up
 * limit per client address first (a refused sign-up uses one too, so names
 * cannot be probed for free), then the account store's one insert, which the
 * database's unique index makes the only judge of a race: of two sign-ups
 * for one name (in any spelling that normalises the same), exactly one
 * inserts, the other is told the name was just taken.
 */
export async function signUp(fields: SignUpFields, clientIp: string): Promise<User> {
  if (!env().signupOpen) throw new ApiError("signup_closed");
  await limitSignUp(clientIp);
  const store = await accounts();
  if (await store.find(fields.username)) throw new ApiError("username_taken");
  try {
    const account = await store.create({
      username: fields.username,
      password: fields.password,
      ...(fields.displayName ? { displayName: fields.displayName } : {}),
    });
    return { id: account.id, username: account.username, displayName: account.displayName };
  } catch (error) {
    // By name: Next.js bundles each route separately (one process, several copies of the class).
    const refusal = error as { name?: string; reason?: string; message?: string };
    if (refusal?.name !== "AccountError") throw error;
    if (refusal.reason === "exists") {
      throw new ApiError(
        "username_taken",
        "That username was just taken — choose another.",
        {},
        {
          reason: "just_taken",
        },
      );
    }
    throw new ApiError("invalid_request", refusal.message, {}, { field: "username" });
  }
}
