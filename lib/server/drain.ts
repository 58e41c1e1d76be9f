import "server-only";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { Server as NetServer, type Socket } from "node:net";

export interface Drain {
  /** Stops accepting; resolves once every socket has closed. */
  drain(freshGraceMs: number): Promise<void>;
}

/** A socket's requests: how many are in flight, and whether it has carried one yet. */
type Use = { busy: number; served: boolean };

/**
 * A planned stop (SIGTERM) without a reset request (issue 25.3). `drain()`
 * stops accepting (the listening socket closes, so a proxy's next connect is
 * refused and goes to another instance before anything is sent); requests in
 * flight finish and answer `Connection: close`; a kept-alive socket idle since
 * before the drain is closed at once (nothing was on its way on it); a socket
 * accepted but whose request has not arrived yet (a proxy connects, then
 * sends) is not: its request is served, with `Connection: close`, and only a
 * socket that sends nothing within `freshGraceMs` is closed. Node's own
 * `server.close()` closes every socket without a request in flight, the ones
 * just accepted too: those requests were lost (nginx: "upstream prematurely
 * closed", a failure its passive health check counts), so it is not used.
 */
export function connectionDrain(server: Server): Drain {
  const sockets = new Map<Socket, Use>();
  const inFlight = new Set<ServerResponse>();
  let draining = false;

  server.on("connection", (socket: Socket) => {
    sockets.set(socket, { busy: 0, served: false });
    socket.once("close", () => sockets.delete(socket));
  });
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const use = sockets.get(req.socket);
    if (use) {
      use.busy++;
      use.served = true;
    }
    inFlight.add(res);
    res.once("close", () => {
      inFlight.delete(res);
      if (use) use.busy--;
      // Answered during the drain: the socket goes (its answer said Connection: close).
      if (draining && use && use.busy === 0) req.socket.end();
    });
  });

  return {
    drain(freshGraceMs: number): Promise<void> {
      draining = true;
      const closed = new Promise<void>((resolve) =>
        NetServer.prototype.close.call(server, () => resolve()),
      );
      for (const res of inFlight) {
        if (!res.headersSent) res.setHeader("Connection", "close");
        else res.shouldKeepAlive = false;
      }
      for (const [socket, use] of sockets) {
        if (use.busy > 0) continue;
        // Kept alive after an answer, idle since before the drain: close it now.
        if (use.served) socket.destroy();
        // Just accepted, its request on the way: served when it comes, else closed after the grace.
        else
          setTimeout(() => {
            if (use.busy === 0 && !use.served) socket.destroy();
          }, freshGraceMs).unref();
      }
      return closed;
    },
  };
}
