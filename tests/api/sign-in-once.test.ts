import { describe, expect, it } from "vitest";
import type { SessionInfo } from "@/lib/api/shapes";
import { HttpClient } from "../support/http-client";
import { useStack } from "../support/stack";

/**
 * Issue 25, item 4: a phone sign-in sent twice (nginx passes a POST a stopping
 * instance reset to the next one, `non_idempotent`; a double tap; an app's
 * retry after a lost answer) makes one phone session. The form names each
 * sign-in (hidden `idempotencyKey`), the native client sends `Idempotency-Key`.
 */
describe("a phone sign-in sent twice", () => {
  const stack = useStack();

  /** The phone sessions bob's list shows, as seen by his phone `viewer` (itself left out). */
  async function phoneSessions(viewer: { token: string; sessionId: string }): Promise<string[]> {
    const res = await fetch(`${stack.url}/api/sessions`, {
      headers: { authorization: `Bearer ${viewer.token}` },
    });
    const { sessions } = (await res.json()) as { sessions: SessionInfo[] };
    return sessions.filter((s) => s.kind === "phone" && s.id !== viewer.sessionId).map((s) => s.id);
  }

  async function nativeSignIn(headers: Record<string, string>) {
    const res = await fetch(`${stack.url}/api/mobile/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ username: "bob", password: "builder" }),
    });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as { token: string };
    const me = await fetch(`${stack.url}/api/sessions`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { sessions } = (await me.json()) as { sessions: SessionInfo[] };
    return { token, sessionId: sessions.find((s) => s.current)?.id ?? "" };
  }

  /** /m's form posted as the page renders it (the JavaScript path posts the same fields). */
  async function formSignIn(idempotencyKey: string) {
    const phone = new HttpClient(stack.url);
    const html = await (await phone.fetch("/m")).text();
    const rendered = /name="idempotencyKey" value="([A-Za-z0-9_-]+)"/.exec(html)?.[1];
    expect(rendered, "the form carries a key of its own").toMatch(/^[A-Za-z0-9_-]{16,}$/);
    await phone.nextAuthCallback("credentials", {
      username: "bob",
      password: "builder",
      idempotencyKey,
    });
    expect(phone.hasSessionCookie()).toBe(true);
    return (await phone.session()) as { user?: { sid?: string } };
  }

  it("native: the same Idempotency-Key twice is one phone session; another key another", async () => {
    const viewer = await nativeSignIn({});
    const before = await phoneSessions(viewer);
    const key = { "idempotency-key": "native-retry-0123456789abcdef" };
    const first = await nativeSignIn(key);
    const again = await nativeSignIn(key);
    expect(again.sessionId).toBe(first.sessionId);
    // Both tokens work, for that one session.
    expect(first.token).not.toBe(again.token);
    const added = (await phoneSessions(viewer)).filter((id) => !before.includes(id));
    expect(added).toEqual([first.sessionId]);
    const other = await nativeSignIn({ "idempotency-key": "native-other-0123456789abcdef" });
    expect(other.sessionId).not.toBe(first.sessionId);
  });

  it("form: the same idempotencyKey twice is one phone session; another key another", async () => {
    const first = await formSignIn("form-retry-0123456789abcdef");
    const again = await formSignIn("form-retry-0123456789abcdef");
    expect(first.user?.sid).toBeTruthy();
    expect(again.user?.sid).toBe(first.user?.sid);
    const other = await formSignIn("form-other-0123456789abcdef");
    expect(other.user?.sid).not.toBe(first.user?.sid);
  });

  it("a wrong password with a remembered key signs in to nothing", async () => {
    const res = await fetch(`${stack.url}/api/mobile/sessions`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "idempotency-key": "native-retry-0123456789abcdef",
      },
      body: JSON.stringify({ username: "bob", password: "not-his" }),
    });
    expect(res.status).toBe(401);
  });
});
