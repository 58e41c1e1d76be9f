import { createConnection, createServer, type Server, type Socket } from "node:net";

export interface RedisRelay {
  /** A redis:// URL that reaches the target through the relay. */
  url: string;
  close(): Promise<void>;
}

/**
 * A loopback relay in front of a Redis, slowing what Redis answers: on the
 * i-th connection it accepts, every answer by `delays[i]` ms (a slow
 * handshake, as on a busy instance starting up), and on every connection
 * nothing before it is `holdMs` old (a Redis that answers only some time
 * after it accepted: a replica still loading, a proxy warming up). Answers
 * keep their order.
 */
export async function slowRelay(
  target: URL,
  o: { delays?: number[]; holdMs?: number },
): Promise<RedisRelay> {
  let accepted = 0;
  const sockets: Socket[] = [];
  const server: Server = createServer((client) => {
    const delay = o.delays?.[accepted++] ?? 0;
    const opened = Date.now();
    const redis = createConnection(Number(target.port), target.hostname);
    sockets.push(client, redis);
    let queue = Promise.resolve();
    client.on("data", (chunk) => redis.write(chunk));
    redis.on("data", (chunk) => {
      const wait = Math.max(delay, opened + (o.holdMs ?? 0) - Date.now());
      queue = queue.then(
        () =>
          new Promise<void>((resolve) =>
            setTimeout(() => {
              if (!client.destroyed) client.write(chunk);
              resolve();
            }, wait),
          ),
      );
    });
    const close = () => {
      client.destroy();
      redis.destroy();
    };
    client.on("close", close).on("error", close);
    // Redis's side closing (QUIT) ends the client's once the held-back answers are out.
    redis.on("close", () => void queue.then(close)).on("error", close);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `redis://127.0.0.1:${port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
