import "server-only";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth/options";

/** The signed-in user for a server page, or null. */
export async function currentUser(): Promise<{ id: string; name: string } | null> {
  const session = await getServerSession(authOptions());
  return session?.user?.id ? session.user : null;
}
