import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { logger } from "../log";
import { StoreUnavailableError } from "../store/kv";
import { INTERACTION, type InteractionStep, serveInteraction } from "./interaction";
import { PASSKEY_SCRIPT, PASSKEY_SCRIPT_PATH } from "./passkey-script";
import { OIDC_PATH, oidc } from "./provider";

/** Headers every response under /oidc gets (Next.js's own pages get theirs from proxy.ts). */
const HEADERS = {
  "X-Content-Type-Options": "nosniff",
  // Never a referrer to another site (codes and state are in these URLs); same-origin, so a
  // form posted here carries its real Origin (no-referrer makes a browser send "Origin: null",
  // which the consent form's cross-site check refuses).
  "Referrer-Policy": "same-origin",
  "X-Frame-Options": "DENY",
};

export const isOidcPath = (url: string) =>
  url === OIDC_PATH || url.startsWith(`${OIDC_PATH}/`) || url.startsWith(`${OIDC_PATH}?`);

/**
 * Serves a request under /oidc (the server entry's guards already passed):
 * the interaction routes here, everything else by oidc-provider, mounted
 * with the /oidc prefix stripped (its originalUrl keeps the full path, from
 * which it builds its URLs). A store or database outage is a 503.
 */
export async function serveOidc(req: IncomingMessage, res: ServerResponse): Promise<void> {
  for (const [name, value] of Object.entries(HEADERS)) res.setHeader(name, value);
  try {
    const instance = await oidc();
    const url = req.url ?? "/";
    const path = url.split("?")[0] ?? "";
    if (path === PASSKEY_SCRIPT_PATH) {
      res.writeHead(200, {
        "Content-Type": "text/javascript; charset=utf-8",
        "Cache-Control": "public, max-age=300",
      });
      return void res.end(req.method === "HEAD" ? undefined : PASSKEY_SCRIPT);
    }
    const interaction = INTERACTION.exec(path);
    if (interaction?.[1]) {
      const step = interaction[2] as InteractionStep;
      return await serveInteraction(instance, req, res, interaction[1], step);
    }
    const mounted = req as IncomingMessage & { originalUrl?: string };
    mounted.originalUrl = url;
    req.url = url.slice(OIDC_PATH.length) || "/";
    await instance.handle(req, res);
  } catch (error) {
    if (res.headersSent) return void res.destroy();
    const down = StoreUnavailableError.is(error);
    const body = JSON.stringify(
      down
        ? {
            error: "temporarily_unavailable",
            error_description: "The service is briefly unavailable. Try again in a moment.",
          }
        : { error: "server_error", error_description: "Something went wrong on our side." },
    );
    res.writeHead(down ? 503 : 500, {
      "Content-Type": "application/json",
      "Cache-Control": "no-store",
      ...(down ? { "Retry-After": "2" } : {}),
    });
    res.end(body);
    if (!down) logger().error({ err: error }, "OpenID Provider request failed");
  }
}
