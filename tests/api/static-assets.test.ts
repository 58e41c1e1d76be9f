import { request } from "node:http";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { useStack } from "../support/stack";

/**
 * The build's scripts and styles (`/_next/static/…`) in the compressed copy
 * the browser accepts, made at build time (scripts/precompress.mjs, served by
 * lib/server/static-assets.ts): brotli first, then gzip, else the file itself;
 * the same bytes once decoded, cached for a year, and nothing outside the
 * build's static folder.
 */

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request with no automatic decompression: the bytes as sent. */
function raw(
  base: string,
  path: string,
  o: { method?: string; headers?: Record<string, string> } = {},
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      { method: o.method ?? "GET", headers: o.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("static assets: precompressed, one representation per accepted encoding", () => {
  const stack = useStack({ store: "memory" });

  /** The scripts /login's HTML loads. */
  async function loginScripts(): Promise<string[]> {
    const html = await (await fetch(`${stack.url}/login`)).text();
    const found = [...html.matchAll(/src="(\/_next\/static\/[^"?]+\.js)[^"]*"/g)].map((m) => m[1]);
    return [...new Set(found)] as string[];
  }

  it("sends brotli to a browser that accepts it, gzip to one that accepts only gzip, the file to the rest: the same script each time", async () => {
    const scripts = await loginScripts();
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    for (const path of scripts) {
      const plain = await raw(stack.url, path);
      expect(plain.status, path).toBe(200);
      expect(plain.headers["content-encoding"], path).toBeUndefined();
      expect(plain.headers["content-type"]).toBe("application/javascript; charset=utf-8");
      expect(plain.headers["cache-control"]).toBe("public,max-age=31536000,immutable");
      expect(plain.headers.vary).toBe("Accept-Encoding");
      expect(plain.headers["x-content-type-options"]).toBe("nosniff");
      expect(Number(plain.headers["content-length"])).toBe(plain.body.length);

      const br = await raw(stack.url, path, {
        headers: { "Accept-Encoding": "gzip, deflate, br, zstd" },
      });
      expect(br.headers["content-encoding"], path).toBe("br");
      expect(brotliDecompressSync(br.body).equals(plain.body), path).toBe(true);

      const gz = await raw(stack.url, path, { headers: { "Accept-Encoding": "gzip" } });
      expect(gz.headers["content-encoding"], path).toBe("gzip");
      expect(gunzipSync(gz.body).equals(plain.body), path).toBe(true);
      // Brotli at its highest level is the smaller one (what the page scenario measures).
      expect(br.body.length, path).toBeLessThan(gz.body.length);
    }
  });

  it("answers HEAD with the headers alone and a matching ETag with 304", async () => {
    const [path = ""] = await loginScripts();
    const accept = { "Accept-Encoding": "br" };
    const head = await raw(stack.url, path, { method: "HEAD", headers: accept });
    expect(head.status).toBe(200);
    expect(head.headers["content-encoding"]).toBe("br");
    expect(head.body.length).toBe(0);
    const etag = String(head.headers.etag);
    expect(etag).toMatch(/^W\/"/);
    const again = await raw(stack.url, path, { headers: { ...accept, "If-None-Match": etag } });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    // The gzip copy is another representation: another tag, so the br tag does not match it.
    const gz = await raw(stack.url, path, {
      headers: { "Accept-Encoding": "gzip", "If-None-Match": etag },
    });
    expect(gz.status).toBe(200);
    expect(gz.headers.etag).not.toBe(etag);
  });

  it("serves nothing outside the build's static folder, and no file it does not hold", async () => {
    for (const path of [
      "/_next/static/../../package.json",
      "/_next/static/%2e%2e/%2e%2e/package.json",
      "/_next/static/..%2f..%2fpackage.json",
      "/_next/static/chunks/no-such-chunk.js",
    ]) {
      const res = await raw(stack.url, path, { headers: { "Accept-Encoding": "br, gzip" } });
      expect(res.status, path).toBe(404);
      expect(res.body.toString("latin1"), path).not.toContain('"name": "qr-login"');
    }
  });

  it("leaves other methods to Next.js: a POST to a script gets no script", async () => {
    const [path = ""] = await loginScripts();
    const res = await raw(stack.url, path, {
      method: "POST",
      headers: { "Accept-Encoding": "br", "Content-Length": "0" },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.headers["content-encoding"]).not.toBe("br");
  });
});
