"use client";

import { useEffect, useState } from "react";

const format = (ms: number) => {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};

/** "Code expires in 1:45", updated every second. Not a live region: it would talk every second. */
export function Countdown({ until, label }: { until: string; label: string }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (now === null) return null;
  const left = new Date(until).getTime() - now;
  return (
    <p className="muted">
      {label} <time dateTime={until}>{format(left)}</time>
    </p>
  );
}
