import { getStack } from "./stack";

/** What must never appear in the app's logs: passwords, bearer tokens, raw ticket or session ids. */
const LEAKS: Array<[string, RegExp]> = [
  ["a demo password", /wonderland|builder|carol-pass/],
  ["a bearer token", /qrlm_[A-Za-z0-9_-]{20,}/],
  ["a raw ticket id in a path", /\/(api\/qr|m\/scan)\/[A-Za-z0-9_-]{24}(?![A-Za-z0-9_-])/],
  ["a ticket id in an audit line", /"ticket":"[A-Za-z0-9_-]{13,}"/],
  ["a raw session id in a path", /\/api\/sessions\/[A-Za-z0-9_-]{22}(?![A-Za-z0-9_-])/],
  ["a session id in an audit line", /"session":"[A-Za-z0-9_-]{13,}"/],
];

/** Stops the servers, then reads everything the app logged during the whole e2e run. */
export default async function globalTeardown() {
  const stack = getStack();
  await stack?.app.stop();
  await stack?.redis.stop();
  const output = stack?.app.output() ?? "";
  // A ticket created on the shared app (201) leaves an audit line; a run of only the specs
  // with apps of their own creates none there.
  const created = /"method":"POST","route":"\/api\/qr","status":201/.test(output);
  if (created && !output.includes('"audit":"create"')) {
    throw new Error("the e2e run's log has no audit line: is logging broken?");
  }
  const found = LEAKS.filter(([, pattern]) => pattern.test(output)).map(([what]) => what);
  if (found.length > 0) throw new Error(`the e2e run's log contains ${found.join(", ")}`);
}
