"use client";

import { SpokenCode } from "./spoken-code";
import { useWords } from "./words";

/**
 * The code under the QR: to type on a phone that can't scan, and once
 * scanned, to compare with the one the phone shows. No copy button: the code
 * is for typing on your own phone, and the phone warns never to approve a
 * code someone sent you (a copied code is one step from a chat).
 */
export function UserCodeHint({ userCode, mode }: { userCode: string; mode: "type" | "check" }) {
  const t = useWords("login.code");
  return (
    <div className="code-hint">
      <p className="code-hint-text">{mode === "check" ? t("check") : t("cantScan")}</p>
      <div className="code-row">
        <SpokenCode code={userCode} className="user-code" />
      </div>
    </div>
  );
}
