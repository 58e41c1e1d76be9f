/** "Alice Liddell" → "AL": the first letters of the first and last words. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.[0] ?? "?";
  const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? "") : "";
  return `${first}${last}`.toUpperCase();
}

/** A round badge with someone's initials. Decorative: their name is always written next to it. */
export function Avatar({ name, className }: { name: string; className?: string }) {
  return (
    <span className={["avatar", className].filter(Boolean).join(" ")} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
