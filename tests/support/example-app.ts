import { type ChildProcess, spawn } from "node:child_process";
import { freePort } from "./redis-server";

export interface ExampleApp {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** The example app's client as QR login declares it (OIDC_CLIENTS), for a port known beforehand. */
export function exampleClient(port: number, secret = "example-secret-0123456789") {
  return {
    client_id: "example",
    client_name: "ExampleApp",
    client_secret: secret,
    redirect_uris: [`http://127.0.0.1:${port}/callback`],
    post_logout_redirect_uris: [`http://127.0.0.1:${port}/`],
    backchannel_logout_uri: `http://127.0.0.1:${port}/backchannel-logout`,
    first_party: true,
  };
}

export const examplePort = () => freePort();

/**
 * Starts examples/express-app (Express + openid-client, from the root's
 * node_modules) against `issuer` on `port`, and waits until it answers
 * (it runs OIDC discovery before it listens).
 */
export async function startExampleApp(issuer: string, port: number): Promise<ExampleApp> {
  let output = "";
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ["examples/express-app/server.mjs"], {
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      ISSUER: issuer,
      CLIENT_ID: "example",
      CLIENT_SECRET: exampleClient(port).client_secret,
      PORT: String(port),
      APP_URL: url,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`example app exited:\n${output}`);
    try {
      if ((await fetch(url)).ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`example app did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
