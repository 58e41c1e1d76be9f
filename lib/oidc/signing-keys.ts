import "server-only";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Configuration } from "oidc-provider";

type JSONWebKeySet = NonNullable<Configuration["jwks"]>;

import { EnvError } from "../env";
import { logger } from "../log";

/**
 * The provider's private signing keys: OIDC_JWKS (a JWKS, or the path of a
 * file holding one; the first key signs, the others still verify — README
 * "Key rotation"), else one RSA key generated on the first start and kept in
 * the data folder (oidc-jwks.json, readable by this user only), so ID tokens
 * stay verifiable across restarts.
 */
export async function signingKeys(setting: string | undefined, dataDir: string) {
  if (setting)
    return parseJwks(setting.trim().startsWith("{") ? setting : await readSetting(setting));
  const file = resolve(dataDir, "oidc-jwks.json");
  const kept = await readFile(file, "utf8").catch(() => null);
  if (kept) return parseJwks(kept);
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = {
    ...privateKey.export({ format: "jwk" }),
    kid: randomBytes(8).toString("hex"),
    use: "sig",
    alg: "RS256",
  };
  const jwks = { keys: [jwk] } as JSONWebKeySet;
  await mkdir(resolve(dataDir), { recursive: true });
  await writeFile(file, JSON.stringify(jwks), { mode: 0o600, flag: "wx" }).catch(() => {});
  logger().info(
    { file },
    "OpenID Provider: generated a signing key (set OIDC_JWKS to bring your own)",
  );
  // Another process may have written first: use whichever key is on disk.
  return parseJwks(await readFile(file, "utf8"));
}

async function readSetting(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch {
    throw new EnvError(`Invalid environment variable OIDC_JWKS: cannot read the file ${path}`);
  }
}

function parseJwks(text: string): JSONWebKeySet {
  try {
    const jwks = JSON.parse(text) as JSONWebKeySet;
    if (Array.isArray(jwks.keys) && jwks.keys.length > 0 && jwks.keys.every((k) => "d" in k)) {
      return jwks;
    }
  } catch {
    // said below
  }
  throw new EnvError(
    'Invalid environment variable OIDC_JWKS: expected a JWKS of private keys ({"keys":[…]})',
  );
}
