import "server-only";
import type { Session } from "next-auth";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth/options";

/** The signed-in user for a server page (with the session's kind and id), or null. */
export async function currentUser(): Promise<Session["user"] | null> {
  const session = await getServerSession(authOptions());
  return session?.user?.id ? session.user : null;
}
