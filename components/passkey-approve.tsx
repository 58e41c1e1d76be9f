"use client";

import { useTranslations } from "next-intl";
import { ApiRequestError } from "./api-client";
import { approveTicket, PasskeyCancelled } from "./passkey-client";
import type { ScanProblem } from "./scan-problem";

/** A failure the confirm screen shows with these words (already in the person's language). */
export class ScanProblemError extends Error {
  override name = "ScanProblemError";
  constructor(readonly problem: ScanProblem) {
    super(problem.text);
  }
}

/**
 * The confirm screen's Approve: approves at once, or, for an account that
 * needs a passkey, asks for it (the browser's own prompt: fingerprint, face
 * or PIN) and approves with its answer, bound to this request.
 */
export function usePasskeyApprove(ticketId: string) {
  const t = useTranslations("passkeys.approve");
  const tr = useTranslations("recovery");
  // Approval blocked on the passkey: a lost one is what the recovery codes are for.
  const link = { href: "/m/recover", label: tr("lostLink") };
  return async () => {
    try {
      return await approveTicket(ticketId);
    } catch (error) {
      if (error instanceof PasskeyCancelled) {
        throw new ScanProblemError({
          title: t("cancelledTitle"),
          text: t("cancelledText"),
          retry: true,
          link,
        });
      }
      if (error instanceof ApiRequestError && error.code === "passkey_failed") {
        throw new ScanProblemError({
          title: t("failedTitle"),
          text: t("failedText"),
          retry: true,
          link,
        });
      }
      if (error instanceof ApiRequestError && error.code === "passkey_required") {
        throw new ScanProblemError({
          title: t("requiredTitle"),
          text: t("requiredText"),
          retry: false,
          link,
        });
      }
      throw error;
    }
  };
}
