"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { lookupBody } from "@/app/api/qr/lookup/schema";
import type { LookupProblem, LookupRefusal } from "@/components/user-code-form";
import { currentUser } from "@/lib/auth/session";
import { ApiError } from "@/lib/http/errors";
import { clientIp } from "@/lib/http/request-info";
import { lookupTypedCode, type TypedCode } from "@/lib/http/ticket-lookup";
import { tickets } from "@/lib/tickets";

/**
 * The typed-code form's server action: a POST that works as a plain form
 * (Next.js checks the Origin of every server action, which is its CSRF
 * guard). Same rules as `POST /api/qr/lookup`; a found code continues on its
 * scan page, a refused one comes back as a problem for the form to say.
 */
export async function lookupCode(
  _previous: LookupRefusal | null,
  form: FormData,
): Promise<LookupRefusal | null> {
  // Called as a form action; anything else a client made up is a malformed request.
  if (!(form instanceof FormData)) return { problem: "invalid", userCode: "" };
  const userCode = String(form.get("userCode") ?? "").slice(0, 32);
  const refuse = (problem: LookupProblem) => ({ problem, userCode });
  const user = await currentUser();
  if (user?.kind !== "phone") return refuse("signedOut");
  const parsed = lookupBody.safeParse({ userCode });
  if (!parsed.success) return refuse("invalid");
  let found: TypedCode;
  try {
    found = await lookupTypedCode(user.id, clientIp(await headers()), parsed.data.userCode);
  } catch (error) {
    return refuse(ApiError.is(error) && error.code === "rate_limited" ? "tooMany" : "unavailable");
  }
  if (!found) return refuse("notFound");
  // A TV's or command line's code (the device grant): its confirm screen, on the provider.
  if ("deviceUserCode" in found) {
    redirect(`/oidc/device?${new URLSearchParams({ user_code: found.deviceUserCode })}`);
  }
  const { ticketId } = found;
  // The code lives longer than a QR: go on with a QR token that still scans.
  const qrToken =
    (await tickets()
      .qrTokenForCode(ticketId)
      .catch(() => null)) ?? "";
  redirect(`/m/scan/${ticketId}${qrToken ? `?t=${encodeURIComponent(qrToken)}` : ""}`);
}
