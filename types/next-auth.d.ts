import "next-auth";
import "next-auth/jwt";

/** next-auth's types as this app extends them, in one place. */

declare module "next-auth" {
  interface Session {
    user: { id: string; name: string; kind: "phone" | "computer"; sid: string };
  }
  interface User {
    /** The session's record in the registry (lib/sessions/records.ts). */
    sid?: string;
    kind?: "phone" | "computer";
    /** A computer made by QR: its ticket (which holds its record) and the approving phone session. */
    tid?: string;
    appr?: string;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    /** When the user signed in (seconds): sessions end SESSION_MAX_AGE_S after it, however often used. */
    authTime?: number;
    /** The id of this session's record in the registry, checked on every session read. */
    sid?: string;
    /** A phone session approves; a computer session never does (PROTOCOL v2). */
    kind?: "phone" | "computer";
    tid?: string;
    appr?: string;
  }
}
