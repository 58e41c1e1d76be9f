import { signInNative } from "../../../tests/support/http-client";
import { progress } from "../progress";
import { benchApp } from "../stack";
import { type Summary, summarize } from "../stats";

/**
 * Scenario 6: sign-out propagation across instances (PROTOCOL v2: "within
 * 1 s on every other instance"). A phone signs a second phone's native-app
 * token out through instance A; instance B is asked with that token back to
 * back until it refuses it. Measured: from A's 204 to B's first refusal. B
 * has just found the token live (so it sits in B's 5-s check cache): only the
 * sign-out event can make B refuse it sooner than that cache would.
 */
export interface SignOutResult {
  signOuts: number;
  /** A's 204 → B's first 401, ms. */
  propagation: Summary;
  /** The most requests B answered with the signed-out token still working, in one sign-out. */
  maxAcceptedAfter: number;
  errors: number;
}

const USER = { name: "alice", password: "wonderland" };

export async function signOutScenario(
  redisUrl: string,
  o: { signOuts: number },
): Promise<SignOutResult> {
  progress.begin("6 sign-out propagation");
  const [a, b] = await Promise.all([benchApp(redisUrl, {}), benchApp(redisUrl, {})]);
  try {
    const { client: phone } = await signInNative(a.url, USER.name, USER.password);
    const samples: number[] = [];
    let maxAcceptedAfter = 0;
    let errors = 0;
    for (let i = 0; i < o.signOuts; i++) {
      const { token } = await signInNative(a.url, USER.name, USER.password);
      const asOther = { authorization: `Bearer ${token}` };
      const own = await fetch(`${b.url}/api/sessions`, { headers: asOther });
      const { sessions } = (await own.json()) as { sessions: { id: string; current: boolean }[] };
      const sid = sessions.find((s) => s.current)?.id;
      if (own.status !== 200 || !sid) {
        errors++;
        continue;
      }
      const res = await phone.fetch(`/api/sessions/${sid}`, { method: "DELETE" });
      const signedOutAt = performance.now();
      if (res.status !== 204) {
        errors++;
        continue;
      }
      let accepted = 0;
      for (;;) {
        const probe = await fetch(`${b.url}/api/sessions`, { headers: asOther });
        await probe.arrayBuffer();
        if (probe.status === 401) break;
        accepted++;
        if (performance.now() - signedOutAt > 10_000) {
          errors++;
          break;
        }
      }
      samples.push(performance.now() - signedOutAt);
      maxAcceptedAfter = Math.max(maxAcceptedAfter, accepted);
      progress.note(`${i + 1}/${o.signOuts}`);
    }
    return {
      signOuts: o.signOuts,
      propagation: summarize(samples),
      maxAcceptedAfter,
      errors,
    };
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    progress.end();
  }
}
