"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { FocusHeading } from "./focus-heading";
import { scanPathOf } from "./scan-path";
import { Button } from "./ui/button";

type Phase =
  | "closed"
  | "starting"
  | "looking"
  | "found"
  | "notOurs"
  | "denied"
  | "absent"
  | "failed";

/** Why the camera did not start, from getUserMedia's error name. */
function cameraProblem(error: unknown): Phase {
  const name = error instanceof Error ? error.name : "";
  if (name === "NotAllowedError" || name === "SecurityError") return "denied";
  if (name === "NotFoundError" || name === "OverconstrainedError") return "absent";
  return "failed";
}

/**
 * The in-app scanner: the camera through getUserMedia, each frame decoded by
 * @zxing/browser (loaded only when Scan is tapped). A QR of this site's scan
 * page opens it here, in this signed-in app; anything else says so and keeps
 * looking. No camera, or a blocked one: clear words and the typed code.
 */
export function QrScanner() {
  const t = useTranslations("phone.scanner");
  const router = useRouter();
  const video = useRef<HTMLVideoElement>(null);
  const [phase, setPhase] = useState<Phase>("closed");
  // The element each phase puts in place of the one tapped: focus moves to it, not to <body>.
  const openButton = useRef<HTMLButtonElement>(null);
  const problem = useRef<HTMLParagraphElement>(null);
  const tapped = useRef(false);
  const closed = phase === "closed";
  const failed = phase === "denied" || phase === "absent" || phase === "failed";
  useEffect(() => {
    if (!tapped.current) return;
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    if (closed) openButton.current?.focus();
    else if (failed) problem.current?.focus();
  }, [closed, failed]);
  // The camera runs while the scanner is open and nothing was found yet.
  const active = phase === "starting" || phase === "looking" || phase === "notOurs";

  useEffect(() => {
    if (!active) return;
    let stop: (() => void) | undefined;
    let cancelled = false;
    (async () => {
      if (!navigator.mediaDevices?.getUserMedia) {
        throw Object.assign(new Error("no camera API"), { name: "NotFoundError" });
      }
      const { BrowserQRCodeReader } = await import("@zxing/browser");
      const controls = await new BrowserQRCodeReader().decodeFromConstraints(
        { video: { facingMode: "environment" }, audio: false },
        video.current ?? undefined,
        (result, _error, c) => {
          if (!result) return;
          const path = scanPathOf(result.getText());
          if (!path) return setPhase("notOurs");
          c.stop();
          setPhase("found");
          router.push(path);
        },
      );
      if (cancelled) controls.stop();
      else {
        stop = () => controls.stop();
        setPhase((p) => (p === "starting" ? "looking" : p));
      }
    })().catch((error: unknown) => {
      if (!cancelled) setPhase(cameraProblem(error));
    });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [active, router]);

  if (phase === "closed") {
    return (
      <p>
        <Button
          className="btn-wide"
          ref={openButton}
          onClick={() => {
            tapped.current = true;
            setPhase("starting");
          }}
        >
          {t("open")}
        </Button>
      </p>
    );
  }
  if (phase === "denied" || phase === "absent" || phase === "failed") {
    return (
      <div role="alert" className="phone-alert">
        <p tabIndex={-1} ref={problem}>
          {t(phase)}
        </p>
        <p>
          <Link className="btn btn-primary" href="/m/link">
            {t("typeCode")}
          </Link>
        </p>
      </div>
    );
  }
  return (
    <section className="scanner" aria-labelledby="scanner-title">
      {/* Replaces the Scan button that had focus: focus moves to this heading. */}
      <FocusHeading level={2} id="scanner-title">
        {t("title")}
      </FocusHeading>
      <video ref={video} className="scanner-video" aria-label={t("video")} muted playsInline />
      <p role="status">{t(phase)}</p>
      <div className="actions">
        <Button variant="secondary" onClick={() => setPhase("closed")}>
          {t("close")}
        </Button>
        <Link className="btn btn-secondary" href="/m/link">
          {t("typeCode")}
        </Link>
      </div>
    </section>
  );
}
