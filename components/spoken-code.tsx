import { useWords } from "./words";

/** "BDWP-QHLT" as a screen reader should say it: letter by letter, a pause at the dash. */
export const spellCode = (code: string) =>
  code
    .split("-")
    .map((group) => group.split("").join(" "))
    .join(", ");

/**
 * A user code on screen: shown as it is written, and read out letter by
 * letter (a screen reader would otherwise try to say "BDWP" as a word).
 */
export function SpokenCode({ code, className }: { code: string; className?: string }) {
  const t = useWords("common");
  return (
    <>
      <span className={className} data-testid="user-code" aria-hidden="true">
        {code}
      </span>
      <span className="sr-only">{t("spokenCode", { letters: spellCode(code) })}</span>
    </>
  );
}
