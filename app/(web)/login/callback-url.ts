/** Only a same-origin relative path may be a post-login destination (no open redirect). */
export function safeCallbackUrl(value: unknown): string {
  const url = Array.isArray(value) ? value[0] : value;
  if (typeof url !== "string" || !url.startsWith("/") || url.startsWith("//")) return "/";
  // Browsers drop tabs and newlines and read a backslash as "/": "/\t/evil.example" is "//evil.example".
  if ([...url].some((c) => c < " " || c === "\x7f" || c === "\\")) return "/";
  const base = "http://same-origin.invalid";
  return new URL(url, base).origin === base ? url : "/";
}
