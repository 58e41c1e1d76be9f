/**
 * The browser's passkey calls: this app's passkey API (lib/api/shapes.ts
 * types the answers) around SimpleWebAuthn's browser half, which calls
 * navigator.credentials and turns its binary answers into JSON.
 */
import {
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
  startRegistration,
} from "@simplewebauthn/browser";
import type { NoticeList, PasskeyInfo, PasskeyList } from "@/lib/api/shapes";
import type { TicketState } from "@/lib/tickets/machine";
import { ApiRequestError, call, post } from "./api-client";

/** The person closed the passkey prompt, or the device has no passkey for this site. */
export class PasskeyCancelled extends Error {
  override name = "PasskeyCancelled";
}

async function assertion(options: PublicKeyCredentialRequestOptionsJSON) {
  try {
    return await startAuthentication({ optionsJSON: options });
  } catch (error) {
    throw new PasskeyCancelled(String(error));
  }
}

/** An assertion from one of this account's passkeys, for an account change (`stepUp`). */
async function stepUp() {
  return assertion(await post<PublicKeyCredentialRequestOptionsJSON>("/api/passkeys/step-up"));
}

/**
 * Approves a scanned ticket: the plain approve, and when the account needs a
 * passkey (403 passkey_required), the passkey approval with a challenge
 * bound to this ticket.
 */
export async function approveTicket(ticketId: string): Promise<{ state: TicketState }> {
  try {
    return await post<{ state: TicketState }>(`/api/qr/${ticketId}/confirm`);
  } catch (error) {
    if (!(error instanceof ApiRequestError && error.code === "passkey_required")) throw error;
  }
  const options = await post<PublicKeyCredentialRequestOptionsJSON>(
    `/api/qr/${ticketId}/passkey/begin`,
  );
  const response = await assertion(options);
  return post<{ state: TicketState }>(`/api/qr/${ticketId}/passkey/finish`, { response });
}

export const listPasskeys = () => call<PasskeyList>("/api/passkeys");

/**
 * Adds a passkey (after proving an existing one, if there is any). The
 * account's first passkey comes with its first recovery codes (shown once).
 */
export async function addPasskey(
  name: string,
  hasPasskeys: boolean,
): Promise<{ passkey: PasskeyInfo; recoveryCodes?: string[] }> {
  const proof = hasPasskeys ? { stepUp: await stepUp() } : {};
  const options = await post<PublicKeyCredentialCreationOptionsJSON>(
    "/api/passkeys/registration/begin",
    proof,
  );
  let response: Awaited<ReturnType<typeof startRegistration>>;
  try {
    response = await startRegistration({ optionsJSON: options });
  } catch (error) {
    throw new PasskeyCancelled(String(error));
  }
  return post<{ passkey: PasskeyInfo; recoveryCodes?: string[] }>(
    "/api/passkeys/registration/finish",
    { response, name },
  );
}

/** The account's password again (403 reauth_required): this phone may then add its first passkey or turn the requirement on. */
export const reauthenticate = (password: string) =>
  post<{ reauthenticatedUntil: string }>("/api/passkeys/reauth", { password });

export async function removePasskey(id: string): Promise<void> {
  const proof = await stepUp();
  await call<void>(`/api/passkeys/${encodeURIComponent(id)}`, {
    method: "DELETE",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ stepUp: proof }),
  });
}

export async function setPasskeyRequired(on: boolean, hasPasskeys: boolean) {
  const proof = !on && hasPasskeys ? { stepUp: await stepUp() } : {};
  return call<{ requireForApproval: boolean; required: boolean; recoveryCodes?: string[] }>(
    "/api/passkeys/setting",
    {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ requireForApproval: on, ...proof }),
    },
  );
}

export const listNotices = () => call<NoticeList>("/api/notices");
export const dismissNotice = (sessionId: string) => post<void>(`/api/notices/${sessionId}/dismiss`);
