import "server-only";
import { createHash, randomBytes } from "node:crypto";
import {
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import { Refusal } from "../errors";
import { keys } from "../store/keys";
import { fieldsDigest, type KvStore } from "../store/kv";
import { currentState, type Ticket } from "../tickets/machine";
import { TicketActionError } from "../tickets/service";
import { CHALLENGE_TTL_MS, saveChallenge, signedChallenge, takeChallenge } from "./challenges";
import { KvPasskeyRecords, type PasskeyRecords } from "./records";
import type { RelyingParty } from "./relying-party";

/** One registered passkey. The public key only: the private key never leaves the authenticator. */
export interface StoredPasskey {
  id: string;
  /** COSE public key, base64url. */
  publicKey: string;
  counter: number;
  transports?: string[];
  name: string;
  createdAt: number;
  lastUsedAt?: number;
}

export interface PasskeyUser {
  id: string;
  username: string;
  displayName: string;
}

/** Who asks: the user and their phone session. */
export interface Asker {
  userId: string;
  sessionId: string;
}

/** A passkey added to or removed from an account, as told to its other phones and the webhook. */
export interface PasskeyChange {
  kind: "added" | "removed";
  userId: string;
  passkey: StoredPasskey;
  /** The phone session that made the change. */
  sessionId: string;
  at: number;
}

export interface PasskeyHooks {
  /** Called after a passkey was added or removed (it must not throw). */
  changed?(change: PasskeyChange): Promise<void> | void;
}

/** The digest of an account without passkeys. */
const NO_PASSKEYS = fieldsDigest([]);

/** How long a password re-entry counts as recent for its phone session. */
export const REAUTH_TTL_MS = 5 * 60 * 1000;

const failed = (message: string) => new Refusal("passkey_failed", message);

/**
 * Passkeys (WebAuthn, with SimpleWebAuthn): registering, listing, removing,
 * the "require a passkey to approve" setting, and approvals verified by a
 * passkey. An approval's challenge is bound to one ticket and its version:
 * its bytes commit to both (so the authenticator signs them), it is kept in
 * the ticket's own slot, and it is taken (deleted) in one atomic step before
 * the ticket is confirmed, so a replayed assertion finds nothing.
 *
 * Changes that would weaken the check (adding a passkey while one exists,
 * removing one, turning the setting off) need a fresh assertion from an
 * existing passkey ("step-up"): a stolen phone cookie or bearer token alone
 * can neither approve nor swap the passkey for the thief's own.
 */
export class Passkeys {
  constructor(
    private readonly kv: KvStore,
    private readonly rp: RelyingParty,
    private readonly now: () => number = Date.now,
    /** Passkeys and the setting: the database in the app (./index.ts); challenges stay in `kv`. */
    private readonly records: PasskeyRecords = new KvPasskeyRecords(kv),
    private readonly hooks: PasskeyHooks = {},
  ) {}

  private load(userId: string) {
    return this.records.load(userId);
  }

  /** The user's passkeys and whether approvals need one (any passkey, or the setting on). */
  async status(userId: string) {
    const { passkeys, setting } = await this.load(userId);
    return { passkeys, setting, required: setting || passkeys.length > 0 };
  }

  /** Approve without a passkey is refused for a user who needs one. */
  async assertNotRequired(userId: string) {
    const { required, passkeys } = await this.status(userId);
    if (!required) return;
    throw new Refusal(
      "passkey_required",
      passkeys.length > 0
        ? "Approve with your passkey: your account requires it."
        : "Your account requires a passkey to approve sign-ins. Add one under Security on your phone first.",
    );
  }

  // ---- registration -------------------------------------------------------

  async registrationOptions(user: PasskeyUser, asker: Asker, stepUp?: AuthenticationResponseJSON) {
    const { passkeys } = await this.load(user.id);
    // Adding to an account with a passkey needs one of them; adding the first, the password again.
    if (passkeys.length > 0) await this.verifyStepUp(asker, passkeys, stepUp);
    else await this.assertReauthenticated(asker);
    const options = await generateRegistrationOptions({
      rpName: this.rp.name,
      rpID: this.rp.id,
      userName: user.username,
      userDisplayName: user.displayName,
      userID: createHash("sha256").update(`qrl-user:${user.id}`).digest().subarray(0, 32),
      attestationType: "none",
      timeout: CHALLENGE_TTL_MS,
      excludeCredentials: passkeys.map((p) => ({ id: p.id, transports: p.transports })),
      authenticatorSelection: { residentKey: "preferred", userVerification: "required" },
    });
    await saveChallenge(this.kv, keys.passkeyChallenges(user.id), options.challenge, {
      purpose: "register",
      ...asker,
      passkeys: fieldsDigest(passkeys.map((p) => p.id)),
      steppedUp: passkeys.length > 0,
      expiresAt: this.now() + CHALLENGE_TTL_MS,
    });
    return options;
  }

  async register(asker: Asker, response: RegistrationResponseJSON, name: string) {
    const challenge = await this.take(
      keys.passkeyChallenges(asker.userId),
      response.response.clientDataJSON,
    );
    if (
      challenge?.purpose !== "register" ||
      challenge.sessionId !== asker.sessionId ||
      challenge.passkeys === undefined ||
      // A challenge issued while the account had a passkey carries a verified step-up.
      (challenge.passkeys !== NO_PASSKEYS && !challenge.steppedUp)
    ) {
      throw failed(
        "This passkey was not made for this request, or the request ran out. Try again.",
      );
    }
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge: () => true, // taken above: it exists, is ours, and is one-time
      expectedOrigin: this.rp.origin,
      expectedRPID: this.rp.id,
      requireUserVerification: true,
    }).catch(() => null);
    if (!result?.verified) throw failed("The new passkey could not be checked. Try again.");
    const { credential } = result.registrationInfo;
    const stored: StoredPasskey = {
      id: credential.id,
      publicKey: Buffer.from(credential.publicKey).toString("base64url"),
      counter: credential.counter,
      transports: credential.transports,
      name,
      createdAt: this.now(),
    };
    // Kept only if the account's passkeys are still those the challenge was issued for, and
    // the credential is no account's yet (one atomic step in the records).
    const outcome = await this.records.add(asker.userId, stored, challenge.passkeys);
    if (outcome !== "written") {
      throw outcome === "exists"
        ? new Refusal("conflict", "This passkey is registered already. Use another one.")
        : new Refusal(
            "conflict",
            "Your passkeys changed since you started adding this one. Start again.",
          );
    }
    await this.tell({ kind: "added", passkey: stored, ...asker });
    return stored;
  }

  async remove(asker: Asker, passkeyId: string, stepUp?: AuthenticationResponseJSON) {
    const { passkeys, setting } = await this.load(asker.userId);
    if (!passkeys.some((p) => p.id === passkeyId))
      throw new Refusal("not_found", "No such passkey.");
    if (setting && passkeys.length === 1) {
      throw new Refusal(
        "conflict",
        "This is your last passkey and your account requires one. Turn off “Require a passkey” first, or add another passkey.",
      );
    }
    await this.verifyStepUp(asker, passkeys, stepUp);
    if (!(await this.records.remove(asker.userId, passkeyId))) {
      throw new Refusal("not_found", "No such passkey.");
    }
    const removed = passkeys.find((p) => p.id === passkeyId) as StoredPasskey;
    await this.tell({ kind: "removed", passkey: removed, ...asker });
  }

  async setRequired(asker: Asker, on: boolean, stepUp?: AuthenticationResponseJSON) {
    const { passkeys } = await this.load(asker.userId);
    if (on) {
      if (passkeys.length === 0) {
        throw new Refusal("passkey_required", "Add a passkey first, then turn this on.");
      }
      await this.assertReauthenticated(asker);
    } else if (passkeys.length > 0) await this.verifyStepUp(asker, passkeys, stepUp);
    await this.records.setRequired(asker.userId, on);
  }

  // ---- re-authentication --------------------------------------------------

  /**
   * Marks this phone session as having just entered the password again (the
   * caller checked it): for REAUTH_TTL_MS it may add a first passkey or turn
   * the requirement on. Returns when the mark runs out.
   */
  async markReauthenticated(asker: Asker) {
    const until = this.now() + REAUTH_TTL_MS;
    await this.kv.setString(
      keys.reauthenticated(asker.userId, asker.sessionId),
      String(until),
      REAUTH_TTL_MS,
    );
    return until;
  }

  /** When this phone session's password re-entry runs out, or null when there is none. */
  async reauthenticatedUntil(asker: Asker) {
    const raw = await this.kv.getString(keys.reauthenticated(asker.userId, asker.sessionId));
    const until = Number(raw);
    return raw && until > this.now() ? until : null;
  }

  private async assertReauthenticated(asker: Asker) {
    if ((await this.reauthenticatedUntil(asker)) === null) {
      throw new Refusal("reauth_required");
    }
  }

  private async tell(change: Omit<PasskeyChange, "at">) {
    try {
      await this.hooks.changed?.({ ...change, at: this.now() });
    } catch {}
  }

  // ---- assertions ---------------------------------------------------------

  /**
   * Checks a step-up assertion (from `stepUpOptions`, one-time, this phone
   * session's) against the account's passkeys: in place of the password for
   * deleting the account. Throws passkey_required / passkey_failed.
   */
  async confirm(asker: Asker, response: AuthenticationResponseJSON): Promise<void> {
    const { passkeys } = await this.load(asker.userId);
    await this.verifyStepUp(asker, passkeys, response);
  }

  /** Options for a step-up assertion (account changes). */
  async stepUpOptions(asker: Asker) {
    const { passkeys } = await this.load(asker.userId);
    if (passkeys.length === 0) throw new Refusal("not_found", "You have no passkey yet.");
    const options = await this.assertionOptions(passkeys, randomBytes(32));
    await saveChallenge(this.kv, keys.passkeyChallenges(asker.userId), options.challenge, {
      purpose: "step-up",
      ...asker,
      expiresAt: this.now() + CHALLENGE_TTL_MS,
    });
    return options;
  }

  /**
   * Options for approving this scanned ticket: the challenge commits to the
   * ticket and its version, and is kept in the ticket's slot until taken.
   */
  async approvalOptions(ticket: Ticket, asker: Asker) {
    this.checkTicket(ticket, asker.userId);
    const { passkeys } = await this.load(asker.userId);
    if (passkeys.length === 0) {
      throw new Refusal("passkey_required", "Add a passkey under Security on your phone first.");
    }
    const bound = createHash("sha256")
      .update(`qrl-approve\0${ticket.id}\0${ticket.version}`)
      .digest()
      .subarray(0, 16);
    const options = await this.assertionOptions(passkeys, Buffer.concat([randomBytes(16), bound]));
    await saveChallenge(this.kv, keys.approvalChallenges(ticket.id), options.challenge, {
      purpose: "approve",
      ...asker,
      ticketId: ticket.id,
      version: ticket.version,
      expiresAt: Math.min(this.now() + CHALLENGE_TTL_MS, ticket.deadline),
    });
    return options;
  }

  /**
   * Checks an approval's assertion against the ticket as it is now: the
   * challenge must be this ticket's, at this version, unused, asked for by
   * this user, and signed with user verification by one of their passkeys.
   * The challenge is gone after this call whatever the outcome. Throws
   * (changing no ticket) when anything is off; the caller then confirms.
   */
  async verifyApproval(
    ticketId: string,
    current: Ticket | null,
    asker: Asker,
    response: AuthenticationResponseJSON,
  ) {
    const challenge = await this.take(
      keys.approvalChallenges(ticketId),
      response.response.clientDataJSON,
    );
    if (!current) throw new TicketActionError("not_found");
    if (challenge?.purpose !== "approve" || challenge.ticketId !== ticketId) {
      throw failed(
        "This passkey answer is not for this sign-in request, or was used already. Tap Approve again.",
      );
    }
    if (challenge.userId !== asker.userId) throw new TicketActionError("not_scanner");
    // The phone session that asked for the challenge answers it (not another of the user's devices).
    if (challenge.sessionId !== asker.sessionId) {
      throw failed("This passkey answer was asked for on another device. Tap Approve again here.");
    }
    this.checkTicket(current, asker.userId);
    if (current.version !== challenge.version) {
      throw failed("The sign-in request changed since your passkey was asked. Tap Approve again.");
    }
    await this.verifyAssertion(asker.userId, response);
  }

  /**
   * Options for approving a request that is not a ticket (an app's device
   * grant, lib/oidc): the challenge commits to `requestId` and is kept in that
   * request's slot until taken, at most until `deadline`.
   */
  async requestApprovalOptions(requestId: string, asker: Asker, deadline: number) {
    const { passkeys } = await this.load(asker.userId);
    if (passkeys.length === 0) {
      throw new Refusal("passkey_required", "Add a passkey under Security on your phone first.");
    }
    const bound = createHash("sha256")
      .update(`qrl-approve-request\0${requestId}`)
      .digest()
      .subarray(0, 16);
    const options = await this.assertionOptions(passkeys, Buffer.concat([randomBytes(16), bound]));
    await saveChallenge(this.kv, keys.approvalChallenges(requestId), options.challenge, {
      purpose: "approve",
      ...asker,
      ticketId: requestId,
      expiresAt: Math.min(this.now() + CHALLENGE_TTL_MS, deadline),
    });
    return options;
  }

  /**
   * Checks an assertion for `requestApprovalOptions`: this request's
   * challenge, unused, asked for by this user on this phone session, signed
   * with user verification by one of their passkeys. The challenge is gone
   * after this call whatever the outcome; throws when anything is off.
   */
  async verifyRequestApproval(
    requestId: string,
    asker: Asker,
    response: AuthenticationResponseJSON | undefined,
  ) {
    if (!response?.response?.clientDataJSON) {
      throw new Refusal("passkey_required", "Approve with your passkey: your account requires it.");
    }
    const challenge = await this.take(
      keys.approvalChallenges(requestId),
      response.response.clientDataJSON,
    );
    if (
      challenge?.purpose !== "approve" ||
      challenge.ticketId !== requestId ||
      challenge.userId !== asker.userId
    ) {
      throw failed(
        "This passkey answer is not for this sign-in request, or was used already. Tap Approve again.",
      );
    }
    if (challenge.sessionId !== asker.sessionId) {
      throw failed("This passkey answer was asked for on another device. Tap Approve again here.");
    }
    await this.verifyAssertion(asker.userId, response);
  }

  private checkTicket(ticket: Ticket, userId: string) {
    const state = currentState(ticket, this.now());
    if (state === "expired") throw new TicketActionError("expired");
    if (ticket.userId !== undefined && ticket.userId !== userId)
      throw new TicketActionError("not_scanner");
    if (state !== "scanned") throw new TicketActionError("invalid_state", state);
  }

  private async verifyStepUp(
    asker: Asker,
    passkeys: StoredPasskey[],
    response?: AuthenticationResponseJSON,
  ) {
    if (!response) {
      throw new Refusal("passkey_required", "Confirm with one of your passkeys first.");
    }
    const challenge = await this.take(
      keys.passkeyChallenges(asker.userId),
      response.response.clientDataJSON,
    );
    if (challenge?.purpose !== "step-up" || challenge.sessionId !== asker.sessionId) {
      throw failed("This passkey answer is not for this change, or was used already. Try again.");
    }
    if (passkeys.length === 0) throw failed("You have no passkey yet.");
    await this.verifyAssertion(asker.userId, response);
  }

  private async verifyAssertion(userId: string, response: AuthenticationResponseJSON) {
    const { passkeys } = await this.load(userId);
    const passkey = passkeys.find((p) => p.id === response.id);
    if (!passkey) throw failed("This passkey is not registered to your account.");
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: () => true, // taken (one-time, bound) by the caller
      expectedOrigin: this.rp.origin,
      expectedRPID: this.rp.id,
      requireUserVerification: true,
      credential: {
        id: passkey.id,
        publicKey: new Uint8Array(Buffer.from(passkey.publicKey, "base64url")),
        counter: passkey.counter,
        transports: passkey.transports as AuthenticatorTransport[] | undefined,
      },
    }).catch(() => null);
    if (!result?.verified || !result.authenticationInfo.userVerified) {
      throw failed(
        "Your passkey could not be checked. Try again and unlock it with your fingerprint, face or PIN.",
      );
    }
    const updated = await this.update(userId, {
      ...passkey,
      counter: result.authenticationInfo.newCounter,
      lastUsedAt: this.now(),
    });
    if (!updated) throw failed("This passkey was removed from your account.");
  }

  private async assertionOptions(passkeys: StoredPasskey[], challenge: Uint8Array) {
    return generateAuthenticationOptions({
      rpID: this.rp.id,
      challenge: new Uint8Array(challenge),
      timeout: CHALLENGE_TTL_MS,
      userVerification: "required",
      allowCredentials: passkeys.map((p) => ({
        id: p.id,
        transports: p.transports as AuthenticatorTransport[] | undefined,
      })),
    });
  }

  private async take(key: string, clientDataJSON: string) {
    const challenge = signedChallenge(clientDataJSON);
    return challenge ? takeChallenge(this.kv, key, challenge, this.now()) : null;
  }

  /** Updates a passkey after a use, only while it still exists (a removal racing a use wins). */
  private update(userId: string, passkey: StoredPasskey) {
    return this.records.update(userId, passkey);
  }
}

/** A passkey as the API lists it. */
export const passkeyView = (p: StoredPasskey) => ({
  id: p.id,
  name: p.name,
  createdAt: new Date(p.createdAt).toISOString(),
  ...(p.lastUsedAt ? { lastUsedAt: new Date(p.lastUsedAt).toISOString() } : {}),
});
