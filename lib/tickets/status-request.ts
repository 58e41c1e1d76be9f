import "server-only";
import { z } from "zod";
import { bindingSecret } from "../auth/claim";
import { ApiError, errorResponse, json } from "../http/errors";
import { MAX_BODY_BYTES, parse, toApiError } from "../http/handler";
import { limitStatus } from "../rate-limit";
import { TICKET_ID } from "./ids";
import { readStatus } from "./long-poll";
import { statusView } from "./views";

/** `GET /api/qr/{ticketId}?since={version}&wait={s}` */
const statusInput = z.object({
  ticketId: z.string().regex(TICKET_ID, "not a ticket id"),
  since: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  wait: z.coerce.number().min(0).max(25).optional(),
});

export interface StatusRequest {
  ticketId: string;
  search: URLSearchParams;
  headers: Headers;
  /** Aborts when the client goes away (ends a held long-poll). */
  signal: AbortSignal;
  path: string;
}

/**
 * The requester's status read, the hottest request there is, as one function
 * of plain web types: the Next.js route serves it, and so does server.mjs's
 * fast path (fast-path.ts) without Next.js's per-request cost. With `since`
 * and `wait` it is a long-poll that answers the moment the ticket changes.
 * Unknown id and missing or wrong binding: the same 404.
 */
export async function statusResponse(r: StatusRequest): Promise<Response> {
  try {
    if (Number(r.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) {
      throw new ApiError("payload_too_large");
    }
    const input = parse(statusInput, { ...Object.fromEntries(r.search), ticketId: r.ticketId });
    const secret = bindingSecret(input.ticketId, r.headers);
    if (!secret) throw new ApiError("not_found");
    await limitStatus(input.ticketId);
    const found = await readStatus(input.ticketId, secret, {
      since: input.since,
      waitMs: (input.wait ?? 0) * 1000,
      signal: r.signal,
    });
    if (!found) {
      // The cookie's MAC proves this server issued it for this ticket, so the
      // record is gone (its tombstone ran out, or Redis lost it): expired.
      return json({ state: "expired", version: 0, expiresAt: new Date().toISOString() });
    }
    return json(await statusView(found.ticket, found.state));
  } catch (error) {
    return errorResponse(toApiError(error, r.path));
  }
}
