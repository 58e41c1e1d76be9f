"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";

/**
 * The code under the QR: to type on a phone that can't scan, and once
 * scanned, to compare with the one the phone shows. A copy button beside it
 * (for a phone reached from this computer, e.g. through a chat).
 */
export function UserCodeHint({ userCode, mode }: { userCode: string; mode: "type" | "check" }) {
  const t = useTranslations("login.code");
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(userCode);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }

  return (
    <div className="code-hint">
      <p className="code-hint-text">{mode === "check" ? t("check") : t("cantScan")}</p>
      <div className="code-row">
        <span className="user-code" data-testid="user-code">
          {userCode}
        </span>
        <button type="button" className="btn btn-secondary btn-small" onClick={copy}>
          {t("copy")}
        </button>
      </div>
      <p className="muted code-copied" aria-live="polite">
        {copied === "yes" ? t("copied") : copied === "failed" ? t("copyFailed") : ""}
      </p>
    </div>
  );
}
