import { z } from "zod";

/**
 * What a browser's (or native app's) WebAuthn call returns, as
 * @simplewebauthn/browser serialises it (base64url fields). Pure zod: the
 * routes parse with these and the OpenAPI document describes them.
 */
const b64url = (max: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, "not base64url")
    .max(max);

const credentialFields = {
  id: b64url(1024).min(1),
  rawId: b64url(1024).min(1),
  type: z.literal("public-key"),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
};

/** A WebAuthn assertion (navigator.credentials.get) as AuthenticationResponseJSON. */
export const authenticationResponse = z.object({
  ...credentialFields,
  response: z.object({
    clientDataJSON: b64url(2048).min(1),
    authenticatorData: b64url(2048).min(1),
    signature: b64url(1024).min(1),
    userHandle: b64url(256).optional(),
  }),
});

/** A new passkey (navigator.credentials.create) as RegistrationResponseJSON. */
export const registrationResponse = z.object({
  ...credentialFields,
  response: z.object({
    clientDataJSON: b64url(2048).min(1),
    attestationObject: b64url(4096).min(1),
    authenticatorData: b64url(2048).optional(),
    transports: z.array(z.string().max(32)).max(10).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: b64url(2048).optional(),
  }),
});

/** An account change (add or remove a passkey, turn the setting off) proven with an existing passkey. */
export const stepUp = z.object({ stepUp: authenticationResponse.optional() });

export const passkeyName = z.string().trim().min(1).max(60);
export const PASSKEY_ID = /^[A-Za-z0-9_-]{1,1024}$/;

/** `PUT /api/passkeys/setting` */
export const requireSetting = stepUp.extend({ requireForApproval: z.boolean() });

/** `POST /api/passkeys/registration/finish` */
export const finishRegistration = z.object({
  response: registrationResponse,
  name: passkeyName.default("Passkey"),
});

/** `POST /api/qr/{ticketId}/passkey/finish` */
export const finishApproval = z.object({ response: authenticationResponse });

/** `/api/passkeys/{passkeyId}` */
export const passkeyParams = z.object({
  passkeyId: z.string().regex(PASSKEY_ID, "not a passkey id"),
});

/** `POST /api/passkeys/reauth`: the account's password, entered again. */
export const reauthBody = z.object({ password: z.string().min(1).max(1024) });
