import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface User {
    /** The web session a QR claim recorded (lib/sessions). */
    sid?: string;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    /** The id of this session's record in the store, checked on every session read. */
    sid?: string;
  }
}
