import "server-only";
import { readFileSync } from "node:fs";
import type { ClientMetadata } from "oidc-provider";
import { z } from "zod";
import { EnvError } from "../env";

/**
 * The apps that may sign people in here (OIDC_CLIENTS: a JSON array, or the
 * path of a file holding one). No dynamic registration: an app is added by
 * its operator, with its exact redirect URIs.
 */
const client = z
  .object({
    client_id: z.string().regex(/^[A-Za-z0-9._~-]{1,100}$/, "letters, digits and . _ ~ -"),
    /** What the sign-in page and the phone call the app ("Sign in to ExampleApp"). */
    client_name: z.string().min(1).max(60).optional(),
    /** A confidential client's secret; absent with `public: true` (a SPA, a mobile app, a CLI). */
    client_secret: z.string().min(16, "at least 16 characters").optional(),
    public: z.boolean().default(false),
    redirect_uris: z.array(z.url()).default([]),
    post_logout_redirect_uris: z.array(z.url()).default([]),
    /** The operator's own app: its users are not asked to consent (they already trust it). */
    first_party: z.boolean().default(false),
    /** Where a back-channel logout token goes when the person is signed out here. */
    backchannel_logout_uri: z.url().optional(),
  })
  .refine((c) => c.public !== Boolean(c.client_secret), {
    message: "give either client_secret or public: true",
  });

export type OidcClient = z.infer<typeof client>;

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

/** Parses OIDC_CLIENTS (its JSON, or a file's); throws EnvError naming what is wrong. */
export function parseClients(setting: string | undefined): OidcClient[] {
  if (!setting) return [];
  let text = setting.trim();
  if (!text.startsWith("[")) {
    try {
      text = readFileSync(text, "utf8");
    } catch {
      throw new EnvError(`Invalid environment variable OIDC_CLIENTS: cannot read the file ${text}`);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new EnvError("Invalid environment variable OIDC_CLIENTS: not valid JSON");
  }
  const result = z.array(client).safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new EnvError(
      `Invalid environment variable OIDC_CLIENTS: ${issue?.path.join(".")}: ${issue?.message}`,
    );
  }
  const ids = new Set<string>();
  for (const c of result.data) {
    if (ids.has(c.client_id)) {
      throw new EnvError(`Invalid environment variable OIDC_CLIENTS: ${c.client_id} twice`);
    }
    ids.add(c.client_id);
  }
  return result.data;
}

/** oidc-provider's metadata for one client. */
export function clientMetadata(c: OidcClient): ClientMetadata {
  const withRedirects = c.redirect_uris.length > 0;
  return {
    client_id: c.client_id,
    client_name: c.client_name ?? c.client_id,
    ...(c.client_secret ? { client_secret: c.client_secret } : {}),
    token_endpoint_auth_method: c.public ? "none" : "client_secret_basic",
    redirect_uris: c.redirect_uris,
    post_logout_redirect_uris: c.post_logout_redirect_uris,
    response_types: withRedirects ? ["code"] : [],
    grant_types: [...(withRedirects ? ["authorization_code", "refresh_token"] : []), DEVICE_GRANT],
    ...(c.backchannel_logout_uri
      ? {
          backchannel_logout_uri: c.backchannel_logout_uri,
          backchannel_logout_session_required: true,
        }
      : {}),
  };
}
