"use client";

import { correction, generate } from "lean-qr/nano";
import { type Ref, useMemo } from "react";
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
/** The quiet zone around the code, in modules (the standard's four). */
const MARGIN = 4;

/**
 * The code's dark modules as one SVG path (a rectangle per run of dark
 * modules in a row), in module units with the quiet zone around them. The
 * encoder is lean-qr's nano build (ISO 18004, 2 kB compressed against
 * qrcode.react's 6), at error correction M or better.
 */
function qrPath(value: string): { size: number; d: string } {
  const code = generate(value, { minCorrectionLevel: correction.M });
  let d = "";
  for (let y = 0; y < code.size; y++) {
    for (let x = 0; x < code.size; ) {
      if (!code.get(x, y)) {
        x++;
        continue;
      }
      const start = x;
      while (x < code.size && code.get(x, y)) x++;
      d += `M${start + MARGIN} ${y + MARGIN}h${x - start}v1h${start - x}z`;
    }
  }
  return { size: code.size + 2 * MARGIN, d };
}

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
  const qr = useMemo(() => (value ? qrPath(value) : null), [value]);
  return (
    <div className="qr-frame" aria-busy={mode === "busy" || mode === "skeleton"}>
      {qr && mode !== "skeleton" ? (
        <svg
          width={QR_SIZE}
          height={QR_SIZE}
          viewBox={`0 0 ${qr.size} ${qr.size}`}
          shapeRendering="crispEdges"
          role="img"
          aria-label={
            mode === "live" ? t("qr.live") : mode === "scanned" ? t("qr.scanned") : t("qr.faded")
          }
          className={faded ? "qr qr-dimmed" : "qr"}
        >
          {/* Black on white whatever the page's colours, so any camera reads it. */}
          <rect width="100%" height="100%" fill="#ffffff" />
          <path d={qr.d} fill="#000000" />
        </svg>
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
