import { connect, type Socket } from "node:net";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends bytes exactly as given (request lines fetch() would refuse to send:
 * absolute-form targets, `*`, TRACE, broken percent-encoding) and reads one
 * response. Connection: close, so the response ends with the socket.
 */
export function rawRequest(port: number, request: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let data = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => {
      data += chunk;
    });
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = "", ...rest] = data.split("\r\n\r\n");
      const [statusLine = "", ...lines] = head.split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const i = line.indexOf(":");
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      const raw = rest.join("\r\n\r\n");
      const body = /chunked/i.test(headers["transfer-encoding"] ?? "") ? dechunk(raw) : raw;
      resolve({ status: Number(statusLine.split(" ")[1] ?? 0), headers, body });
    });
    socket.write(request);
  });
}

/** `METHOD target` with Host and Connection: close, and no body. */
export const rawLine = (port: number, method: string, target: string) =>
  rawRequest(
    port,
    `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
  );

/** A connection that is open (connected), for tests of connection limits. */
export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => resolve(socket));
    socket.on("error", reject);
  });
}

/** Resolves with how long (ms) until the socket is closed by the other side. */
export function closedAfter(socket: Socket, started = performance.now()): Promise<number> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve(performance.now() - started);
    socket.once("close", () => resolve(performance.now() - started));
    socket.resume();
  });
}

/** A chunked body's content (`size\r\ndata\r\n` … `0\r\n\r\n`). */
function dechunk(raw: string): string {
  let out = "";
  let rest = Buffer.from(raw);
  for (;;) {
    const eol = rest.indexOf("\r\n");
    const size = Number.parseInt(rest.subarray(0, eol).toString(), 16);
    if (eol < 0 || !(size > 0)) return out;
    out += rest.subarray(eol + 2, eol + 2 + size).toString();
    rest = rest.subarray(eol + 2 + size + 2);
  }
}
