"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { isFinalState, type TicketApproval, ticketApproval } from "./api-client";

/**
 * The phone follows the ticket it scanned, as the desktop does: a long-poll
 * (`GET /api/qr/{id}/approval?since=v&wait=25`) asked again as soon as it
 * answers (deduplicated: one poll at a time), until the ticket is final. So a cancel on the computer, the answer
 * window running out, or the computer's sign-in shows within a second.
 */
export function useApproval(ticketId: string, enabled: boolean) {
  const client = useQueryClient();
  const key = ["approval", ticketId];
  // After a failure, ask once without waiting, so a recovered connection shows at once.
  const failed = useRef(false);
  return useQuery({
    queryKey: key,
    queryFn: async ({ signal }) => {
      const since = failed.current ? undefined : client.getQueryData<TicketApproval>(key)?.version;
      try {
        const answer = await ticketApproval(ticketId, since, signal);
        failed.current = false;
        return answer;
      } catch (error) {
        failed.current = true;
        throw error;
      }
    },
    enabled,
    staleTime: 0,
    gcTime: 0,
    refetchInterval: (query) => (isFinalState(query.state.data?.state) ? false : 250),
    refetchIntervalInBackground: true,
    refetchOnWindowFocus: false,
    retry: (failures, error) => failures < 1_000 && !isEndedError(error),
    retryDelay: (failures) => Math.min(1_000 * 2 ** failures, 5_000),
  });
}

/** An answer that will not change by asking again (the ticket is gone or not ours). */
function isEndedError(error: unknown): boolean {
  const status = (error as { status?: number }).status ?? 0;
  return status >= 400 && status < 500 && status !== 429 && status !== 408;
}
