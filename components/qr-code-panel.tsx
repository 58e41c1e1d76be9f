"use client";

import { QRCodeSVG } from "qrcode.react";
import { Avatar } from "./ui/avatar";

interface Props {
  value: string | undefined;
  mode: "hidden" | "live" | "dimmed";
  scannerName?: string;
}

export const QR_SIZE = 256;

/**
 * The login QR: black on white with a four-module quiet zone, whatever the
 * page's colour scheme, so any phone camera reads it. Dimmed under the
 * scanner's initials once scanned; not drawn at all when the code is dead.
 */
export function QrCodePanel({ value, mode, scannerName }: Props) {
  return (
    <div className="qr-frame">
      {value && mode !== "hidden" ? (
        <QRCodeSVG
          value={value}
          size={QR_SIZE}
          level="M"
          marginSize={4}
          bgColor="#ffffff"
          fgColor="#000000"
          role="img"
          aria-label={
            mode === "live"
              ? "QR code to sign in: scan it with your phone's camera"
              : "QR code, already scanned"
          }
          className={mode === "dimmed" ? "qr qr-dimmed" : "qr"}
        />
      ) : (
        <div className="qr-placeholder" aria-hidden="true" />
      )}
      {mode === "dimmed" && scannerName ? (
        <Avatar name={scannerName} className="qr-avatar" />
      ) : null}
    </div>
  );
}
