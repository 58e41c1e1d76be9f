import type { ScannedTicket } from "./api-client";
import { RequesterOrigin } from "./requester-origin";

/** Who is asking to sign in: the computer's browser, system, address and when it asked. */
export function RequesterDetails({ ticket }: { ticket: ScannedTicket }) {
  const { browser, os, ip, createdAt } = ticket.requester;
  const at = new Date(createdAt);
  return (
    <dl className="details">
      <dt>Browser</dt>
      <dd>{browser}</dd>
      <dt>Operating system</dt>
      <dd>{os}</dd>
      <dt>IP address</dt>
      <dd>{ip}</dd>
      <RequesterOrigin ticket={ticket} />
      <dt>Requested at</dt>
      <dd>
        <time dateTime={createdAt}>
          {at.toLocaleTimeString(undefined, {
            hour: "2-digit",
            minute: "2-digit",
            second: "2-digit",
          })}
        </time>
      </dd>
      <dt>Code on the computer</dt>
      <dd className="user-code">{ticket.userCode}</dd>
    </dl>
  );
}
