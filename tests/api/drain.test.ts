import type { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { HttpClient } from "../support/http-client";
import { METRICS_TOKEN, untilWaiting } from "../support/metrics";
import { closedAfter, openSocket, rawLine } from "../support/raw-http";
import { useStack } from "../support/stack";

/** One response read off a socket that may stay open (Content-Length or chunked body). */
function nextResponse(socket: Socket): Promise<{ head: string; body: string }> {
  return new Promise((resolve, reject) => {
    let data = "";
    const onData = (chunk: Buffer) => {
      data += chunk.toString("utf8");
      const end = data.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = data.slice(0, end);
      const body = data.slice(end + 4);
      const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
      const complete = length
        ? Buffer.byteLength(body) >= Number(length)
        : body.endsWith("0\r\n\r\n");
      if (!complete) return;
      socket.off("data", onData);
      resolve({ head, body });
    };
    socket.on("data", onData);
    socket.once("close", () =>
      reject(new Error(`closed with ${data.length ? data : "no answer"}`)),
    );
  });
}

const get = (port: string, path: string, extra = "") =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${extra}\r\n`;

/**
 * Issue 25.3: a planned stop (SIGTERM) stops accepting and finishes what is
 * in flight, answering `Connection: close`; it closes kept-alive sockets idle
 * since before the drain, but not one just accepted whose request is on its
 * way (a proxy connects, then sends): that request is served. Node's own
 * close reset such sockets, and nginx counted the lost request as a failure.
 */
describe("a planned stop drains without resetting a request", () => {
  // The test stops the app itself (SIGTERM mid-request); the stack then has nothing left to stop.
  const stack = useStack({ env: { METRICS_TOKEN } });

  it("serves a socket accepted just before, closes idle kept-alive ones, hands the long-poll back", async () => {
    const port = new URL(stack.url).port;
    // A socket kept alive after its answer: idle since before the drain.
    const kept = await openSocket(Number(port));
    const answered = nextResponse(kept);
    kept.write(get(port, "/api/health/live"));
    expect((await answered).head).toMatch(/^HTTP\/1\.1 200/);

    // A desktop's held long-poll, on its own kept-alive socket.
    const desktop = new HttpClient(stack.url);
    const { ticketId } = (await (await desktop.fetch("/api/qr", { method: "POST" })).json()) as {
      ticketId: string;
    };
    const cookie = [...desktop.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const polling = await openSocket(Number(port));
    const held = nextResponse(polling);
    polling.write(get(port, `/api/qr/${ticketId}?since=1&wait=20`, `Cookie: ${cookie}\r\n`));
    await untilWaiting(stack.app, 1);

    // A socket just accepted, its request not sent yet (accepted: a whole request on
    // another socket was answered after it connected).
    const fresh = await openSocket(Number(port));
    expect((await rawLine(Number(port), "GET", "/api/health/live")).status).toBe(200);

    const stopped = stack.app.stop();
    // The held long-poll is answered with the ticket as it is, and the socket is let go.
    const poll = await held;
    expect(poll.head).toMatch(/^HTTP\/1\.1 200/);
    expect(poll.head).toMatch(/\r\nconnection: close/i);
    expect(poll.body).toContain('"state":"pending"');
    await closedAfter(polling);
    // The idle kept-alive socket is closed.
    await closedAfter(kept);
    // The request on the socket accepted just before is served, with Connection: close.
    const late = nextResponse(fresh);
    fresh.write(get(port, "/api/health/live"));
    const served = await late;
    expect(served.head).toMatch(/^HTTP\/1\.1 200/);
    expect(served.head).toMatch(/\r\nconnection: close/i);
    await closedAfter(fresh);
    await stopped;
    expect(stack.app.output()).toContain("Stopped");
  });
});
