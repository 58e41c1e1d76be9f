import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    user: { id: string; name: string };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    /** How this session was created: a QR claim or a password sign-in. */
    via?: "qr" | "password";
  }
}
