import Bowser from "bowser";

/** "Chrome 131" and "macOS" or "Android 14" from a user agent; "Unknown browser" when it says nothing useful. */
export function describeUserAgent(userAgent: string): { browser: string; os: string } {
  // Bowser throws on an empty user agent (a client that sent none): nothing to describe.
  if (!userAgent.trim()) return { browser: "Unknown browser", os: "Unknown OS" };
  const parsed = Bowser.parse(userAgent);
  const major = parsed.browser.version?.split(".")[0];
  const browser = parsed.browser.name
    ? `${parsed.browser.name}${major ? ` ${major}` : ""}`
    : "Unknown browser";
  // Desktop browsers freeze the OS version in the user agent (every Mac says
  // 10.15.7, Windows 11 says 10), so only phones get a version shown.
  const frozen = parsed.os.name === "macOS" || parsed.os.name === "Windows";
  const osVersion = frozen ? undefined : (parsed.os.versionName ?? parsed.os.version);
  const os = parsed.os.name ? `${parsed.os.name}${osVersion ? ` ${osVersion}` : ""}` : "Unknown OS";
  return { browser, os };
}
