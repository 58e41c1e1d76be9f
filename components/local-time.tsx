"use client";

import { useEffect, useState } from "react";

/** A moment as the phone's own clock says it (UTC until the page is live: the server can't know the zone). */
export function useLocalTime(iso: string, seconds = false): string {
  const [local, setLocal] = useState<string | null>(null);
  useEffect(() => {
    setLocal(
      new Date(iso).toLocaleString(undefined, {
        dateStyle: "medium",
        timeStyle: seconds ? "medium" : "short",
      }),
    );
  }, [iso, seconds]);
  return local ?? `${iso.slice(0, seconds ? 19 : 16).replace("T", " ")} UTC`;
}

/**
 * A moment in the phone's own time zone (the server renders UTC until the page is live).
 * `seconds`: to the second, e.g. to tell apart two sign-ins of one minute.
 */
export function LocalTime({ iso, seconds = false }: { iso: string; seconds?: boolean }) {
  return <time dateTime={iso}>{useLocalTime(iso, seconds)}</time>;
}
