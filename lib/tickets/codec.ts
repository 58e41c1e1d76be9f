import type { Ticket, TicketState } from "./machine";

/** A ticket as the flat string hash the stores keep (Redis HSET fields). */
export function toHash(t: Ticket): Record<string, string> {
  return {
    state: t.state,
    version: String(t.version),
    bind: t.bindingHash,
    code: t.userCode,
    created: String(t.createdAt),
    deadline: String(t.deadline),
    limit: String(t.limit),
    ip: t.requester.ip,
    ua: t.requester.userAgent,
    user: t.userId ?? "",
    sid: t.sessionId ?? "",
    appr: t.approvedBy ?? "",
    session: t.session ?? "",
    qrk: t.qrKey,
    dev: t.deviceHash ?? "",
    ask: t.continueRequired ? "1" : "",
    refused: t.refused ? "1" : "",
    app: t.app ?? "",
  };
}

export function fromHash(id: string, h: Record<string, string>): Ticket {
  return {
    id,
    state: h.state as TicketState,
    version: Number(h.version),
    bindingHash: h.bind ?? "",
    userCode: h.code ?? "",
    createdAt: Number(h.created),
    deadline: Number(h.deadline),
    limit: Number(h.limit),
    requester: { ip: h.ip ?? "", userAgent: h.ua ?? "" },
    userId: h.user || undefined,
    sessionId: h.sid || undefined,
    approvedBy: h.appr || undefined,
    session: h.session || undefined,
    // A ticket written before QR keys existed: its binding's hash is a secret the server alone holds.
    qrKey: h.qrk || (h.bind ?? ""),
    deviceHash: h.dev || undefined,
    ...(h.ask === "1" ? { continueRequired: true } : {}),
    ...(h.refused === "1" ? { refused: true } : {}),
    ...(h.app ? { app: h.app } : {}),
  };
}

/** Only the fields a transition may change, so a write never clobbers the rest. */
export function changedFields(t: Ticket): Record<string, string> {
  const { state, version, deadline, user, sid, appr, session, ask, refused } = toHash(t);
  return { state, version, deadline, user, sid, appr, session, ask, refused } as Record<
    string,
    string
  >;
}
