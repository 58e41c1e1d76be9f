/**
 * The fallback for phones that can't scan (a code to type), and which address
 * the phone will open: from the QR's own URL, so it is the truth.
 */
export function UserCodeHint({ scanUrl, userCode }: { scanUrl: string; userCode: string }) {
  const origin = new URL(scanUrl).origin;
  return (
    <div className="hint">
      <p>
        Can&apos;t scan? Open <strong>{origin}/m/link</strong> on your phone and enter this code:
      </p>
      <p className="user-code">{userCode}</p>
      <p className="muted">
        Your phone will open <strong>{origin}</strong>; it must be able to reach this address (for
        example on the same Wi-Fi).
      </p>
    </div>
  );
}
