import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
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
    /** The id of this session's record in the registry, checked on every session read. */
    sid?: string;
    /** A phone session approves; a computer session never does (PROTOCOL v2). */
    kind?: "phone" | "computer";
    tid?: string;
    appr?: string;
  }
}
