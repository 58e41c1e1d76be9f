/**
 * Whether /login was opened on a phone, from what the browser says about
 * itself: the `Sec-CH-UA-Mobile: ?1` client hint (Chromium sends it on every
 * request) or, elsewhere, "Mobi" in the user agent (MDN's advice: Safari and
 * Firefox on phones say "Mobile", tablets do not). One rule, on the server, so
 * the first paint is already right.
 */
export function isPhoneRequest(headers: Headers): boolean {
  const hint = headers.get("sec-ch-ua-mobile");
  if (hint !== null) return hint.trim() === "?1";
  return /Mobi/.test(headers.get("user-agent") ?? "");
}
