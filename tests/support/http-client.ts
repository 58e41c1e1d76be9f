/**
 * A minimal browser stand-in for API tests: keeps cookies per client, sends
 * them back, and can sign in through next-auth (CSRF token included).
 */
export class HttpClient {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    private readonly defaults: Record<string, string> = {},
  ) {}

  async fetch(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    const headers = new Headers({ ...this.defaults, ...(init.headers as Record<string, string>) });
    if (this.cookies.size > 0 && !headers.has("cookie")) {
      headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    }
    let body = init.body;
    if (init.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(init.json);
    }
    const res = await fetch(new URL(path, this.baseUrl), {
      ...init,
      headers,
      body,
      redirect: "manual",
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /max-age=0\b/i.test(a.trim()));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** POST to a next-auth credentials provider callback (`credentials` or `qr`) with a CSRF token. */
  async nextAuthCallback(provider: string, fields: Record<string, string>): Promise<Response> {
    const { csrfToken } = (await (await this.fetch("/api/auth/csrf")).json()) as {
      csrfToken: string;
    };
    return this.fetch(`/api/auth/callback/${provider}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...fields, csrfToken, json: "true" }).toString(),
    });
  }

  /**
   * The desktop's claim as the login page makes it: when its status says the
   * approving account is new to this browser (`continueRequired`), as after
   * the person chose "Continue" (`continueAs`: the username it names).
   */
  async claim(ticketId: string): Promise<Response> {
    const status = await this.fetch(`/api/qr/${ticketId}`);
    const body = status.ok
      ? ((await status.json()) as { continueRequired?: boolean; scanner?: { username?: string } })
      : null;
    const continueAs = body?.continueRequired ? body.scanner?.username : undefined;
    return this.nextAuthCallback("qr", continueAs ? { ticketId, continueAs } : { ticketId });
  }

  async session(): Promise<{ user?: { id: string; name: string } }> {
    return (await this.fetch("/api/auth/session")).json();
  }

  hasSessionCookie(): boolean {
    return [...this.cookies.keys()].some((name) => name.includes("next-auth.session-token"));
  }
}

/** Signs a native app in (`POST /api/mobile/sessions`): its bearer token and a client that sends it. */
export async function signInNative(
  baseUrl: string,
  username: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<{ token: string; client: HttpClient }> {
  const res = await fetch(`${baseUrl}/api/mobile/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 201)
    throw new Error(`sign-in as ${username}: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  return {
    token,
    client: new HttpClient(baseUrl, { ...headers, authorization: `Bearer ${token}` }),
  };
}

/**
 * The scan API path for the QR a desktop showed: `{origin}/m/scan/{ticketId}?t={slot}.{mac}`
 * (a create answer's or a pending status's `scanUrl`) → `/api/qr/{ticketId}/scan?t=…`, the
 * token included, as a phone that scanned that QR posts it.
 */
export function scanPathOf(scanUrl: string): string {
  const url = new URL(scanUrl);
  const match = /^\/m\/scan\/([^/]+)$/.exec(url.pathname);
  if (!match) throw new Error(`not a scan URL: ${scanUrl}`);
  return `/api/qr/${match[1]}/scan${url.search}`;
}

/** Follows redirects while they stay on `site`; stops at one that leaves it (an app's redirect URI) or at a page. */
export async function followWithin(
  browser: HttpClient,
  site: string,
  start: string,
): Promise<Response & { at: string }> {
  let at = start;
  for (let hops = 0; hops < 10; hops++) {
    const res = await browser.fetch(at);
    const location = res.headers.get("location");
    if (res.status < 300 || res.status >= 400 || !location) return Object.assign(res, { at });
    at = new URL(location, at).href;
    if (!at.startsWith(site)) return Object.assign(res, { at });
  }
  throw new Error("too many redirects");
}
