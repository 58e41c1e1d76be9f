import "server-only";
import type { Session } from "next-auth";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { logger } from "../log";
import { users } from "../users";

/**
 * The signed-in user for a server page (with the session's kind and id), or
 * null. Its name is the account's display name as it is now, from the user
 * directory (a rename on the phone shows on every page at its next load; the
 * session's cookie keeps the name of its sign-in); the cookie's while the
 * directory cannot answer. An account that is gone is signed out.
 */
export async function currentUser(): Promise<Session["user"] | null> {
  const session = await getServerSession(authOptions());
  const user = session?.user?.id ? session.user : null;
  if (!user) return null;
  try {
    const account = await users().get(user.id);
    return account ? { ...user, name: account.displayName } : null;
  } catch (error) {
    logger().warn({ err: String(error) }, "display name unread: the session's is shown");
    return user;
  }
}
