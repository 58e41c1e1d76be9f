import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    user: { id: string; name: string; kind: "phone" | "computer"; sid: string };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    /** When the user signed in (seconds): sessions end SESSION_MAX_AGE_S after it, however often used. */
    authTime?: number;
  }
}
