"use client";

import { QRCodeSVG } from "qrcode.react";
import type { Ref } from "react";
import type { QrMode } from "./login-message";
import { Avatar } from "./ui/avatar";
import { useWords } from "./words";

interface Props {
  /** The code's URL; the last one stays (faded) once it is no longer valid. */
  value: string | undefined;
  mode: QrMode;
  scannerName?: string;
  /** The button over a faded QR ("Get a new code", WhatsApp's "Click to reload QR code"). */
  reload?: { label: string; onClick: () => void; ref?: Ref<HTMLButtonElement> };
}

export const QR_SIZE = 256;

/**
 * The login QR: black on white with a four-module quiet zone, whatever the
 * page's colour scheme, so any phone camera reads it. Always the same
 * 256 × 256 box, so nothing around it moves: a skeleton before the first
 * code; dimmed under the scanner's initials once scanned; faded under a
 * spinner while signing in or getting a new code; faded under a reload
 * button when it is no longer valid.
 */
export function QrCodePanel({ value, mode, scannerName, reload }: Props) {
  const t = useWords("login");
  const faded = mode !== "live";
  return (
    <div className="qr-frame" aria-busy={mode === "busy" || mode === "skeleton"}>
      {value && mode !== "skeleton" ? (
        <QRCodeSVG
          value={value}
          size={QR_SIZE}
          level="M"
          marginSize={4}
          bgColor="#ffffff"
          fgColor="#000000"
          role="img"
          aria-label={
            mode === "live" ? t("qr.live") : mode === "scanned" ? t("qr.scanned") : t("qr.faded")
          }
          className={faded ? "qr qr-dimmed" : "qr"}
        />
      ) : (
        <div className="qr-skeleton" role="img" aria-label={t("qr.loading")} />
      )}
      {mode === "scanned" && scannerName ? (
        <Avatar name={scannerName} className="qr-overlay" />
      ) : null}
      {mode === "busy" ? <span className="spinner qr-overlay" aria-hidden="true" /> : null}
      {mode === "reload" && reload ? (
        <button
          type="button"
          className="qr-reload qr-overlay"
          onClick={reload.onClick}
          ref={reload.ref}
        >
          <svg viewBox="0 0 24 24" width="32" height="32" aria-hidden="true">
            <path
              fill="currentColor"
              d="M12 4a8 8 0 1 0 7.75 10h-2.1A6 6 0 1 1 12 6c1.66 0 3.14.69 4.22 1.78L13 11h7V4l-2.35 2.35A7.96 7.96 0 0 0 12 4z"
            />
          </svg>
          <span>{reload.label}</span>
        </button>
      ) : null}
    </div>
  );
}
