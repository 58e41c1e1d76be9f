"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  ApiRequestError,
  cancelTicket,
  createTicket,
  isFinalState,
  qrSlotOf,
  refuseTicket,
  type TicketStatus,
  ticketStatus,
} from "./ticket-api";

/** An idle tab gets this many fresh codes after the first one expires, then it stops. */
export const MAX_AUTO_RENEWALS = 3;

/** Seconds a long-poll may wait for a change (PROTOCOL.md allows up to 25). */
const LONG_POLL_WAIT_S = 25;
/** Pause between an answered long-poll and the next one. */
const LONG_POLL_GAP_MS = 10;

const statusKey = (ticketId: string | undefined) => ["ticket-status", ticketId] as const;

const isNotFound = (error: unknown) => error instanceof ApiRequestError && error.status === 404;

/**
 * The desktop's login ticket: created on mount, followed by long-poll (each
 * answer arrives the moment the ticket changes; plain polling as the
 * fallback) until it reaches a final state (or is confirmed), replaced
 * automatically when it expires (a few times), and cancellable.
 */
export function useLoginTicket(oidc?: string) {
  const queryClient = useQueryClient();
  const [autoRenewals, setAutoRenewals] = useState(0);
  const create = useMutation({ mutationFn: () => createTicket(oidc) });
  const { mutate: requestTicket } = create;
  const ticket = create.data;
  const ticketId = ticket?.ticketId;

  // Long-poll while it works; after a failed long-poll, one plain poll, then long-poll again.
  const longPollWorks = useRef(true);
  const status = useQuery({
    queryKey: statusKey(ticketId),
    queryFn: async ({ signal }) => {
      if (!ticketId) throw new Error("no ticket");
      const known = queryClient.getQueryData<TicketStatus>(statusKey(ticketId));
      const longPoll = longPollWorks.current && known !== undefined;
      try {
        // The slot of the QR on screen: a poll that starts after it changed answers at once.
        const qr = qrSlotOf(known?.scanUrl ?? ticket?.scanUrl);
        const poll =
          longPoll && known ? { since: known.version, wait: LONG_POLL_WAIT_S, qr } : undefined;
        const result = await ticketStatus(ticketId, poll, signal);
        longPollWorks.current = true;
        return result;
      } catch (error) {
        if (longPoll) longPollWorks.current = false;
        throw error;
      }
    },
    enabled: ticketId !== undefined,
    refetchIntervalInBackground: true,
    refetchInterval: (query) => {
      const state = query.state.data?.state;
      const error = query.state.error;
      // Confirmed: the claim follows, unless the page asks "Continue as …?" first; then
      // the poll goes on so the answer window running out shows.
      const claiming = state === "confirmed" && !query.state.data?.continueRequired;
      if (isFinalState(state) || claiming || isNotFound(error)) return false;
      // The next long-poll starts as soon as one answers (a poll in flight is not restarted).
      if (!error && longPollWorks.current) return LONG_POLL_GAP_MS;
      const interval = ticket?.pollIntervalMs ?? 1000;
      // Slowed down by the server: wait as long as it asks before the next poll.
      const retryAfterMs = error instanceof ApiRequestError ? (error.retryAfterS ?? 0) * 1000 : 0;
      return Math.max(interval, retryAfterMs);
    },
  });

  const refuse = useMutation({
    mutationFn: async (id: string) => {
      await queryClient.cancelQueries({ queryKey: statusKey(id) });
      await refuseTicket(id);
    },
    onSuccess: (_, id) =>
      queryClient.setQueryData<TicketStatus>(statusKey(id), (old) =>
        old ? { ...old, state: "cancelled", continueRequired: undefined } : old,
      ),
    onError: (_, id) => queryClient.invalidateQueries({ queryKey: statusKey(id) }),
  });

  const cancel = useMutation({
    mutationFn: async (id: string) => {
      await queryClient.cancelQueries({ queryKey: statusKey(id) });
      await cancelTicket(id);
    },
    onSuccess: (_, id) =>
      queryClient.setQueryData<TicketStatus>(statusKey(id), (old) =>
        old ? { ...old, state: "cancelled" } : old,
      ),
    onError: (_, id) => queryClient.invalidateQueries({ queryKey: statusKey(id) }),
  });

  // Create the first ticket once (a ref, so React's development double-mount does not make two).
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    requestTicket();
  }, [requestTicket]);

  const state = status.data?.state;
  const canRenew = autoRenewals < MAX_AUTO_RENEWALS;
  const renewedFor = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (state !== "expired" || !ticketId || !canRenew || renewedFor.current === ticketId) return;
    renewedFor.current = ticketId;
    setAutoRenewals((n) => n + 1);
    requestTicket();
  }, [state, ticketId, canRenew, requestTicket]);

  /** A fresh code on request: the automatic-renewal budget starts over. */
  const { reset: resetCancel, mutate: cancelMutate } = cancel;
  const { reset: resetRefuse, mutate: refuseMutate } = refuse;
  const newCode = useCallback(() => {
    setAutoRenewals(0);
    resetCancel();
    resetRefuse();
    requestTicket();
  }, [requestTicket, resetCancel, resetRefuse]);

  // The QR rotates while it waits: the status answer names the URL to show now (same ticket, same poll).
  const currentScanUrl = status.data?.scanUrl;
  const shown = useMemo(
    () => (ticket && currentScanUrl ? { ...ticket, scanUrl: currentScanUrl } : ticket),
    [ticket, currentScanUrl],
  );

  return {
    ticket: shown,
    creating: create.isPending,
    createError: create.error,
    state,
    scannerName: status.data?.scanner?.displayName,
    scannerUsername: status.data?.scanner?.username,
    /** Confirmed by an account new to this browser: ask "Continue as …?" before claiming. */
    continueRequired: state === "confirmed" && status.data?.continueRequired === true,
    /** The person said "This isn't me" (the ticket is cancelled for good). */
    refused: refuse.isSuccess && refuse.variables === ticketId,
    refuse: () => {
      if (ticketId) refuseMutate(ticketId);
    },
    refusing: refuse.isPending,
    refuseError: refuse.error,
    expiresAt: status.data?.expiresAt ?? ticket?.expiresAt,
    /** The poll failed; the last known state is still shown and polling goes on (except 404). */
    statusError: status.error,
    lost: isNotFound(status.error),
    canRenew,
    /** The code on screen replaced one that expired unanswered (the page says so). */
    renewed: autoRenewals > 0,
    /** Which automatic renewal this is, of how many (the message changes each time, so it is announced again). */
    renewals: { count: autoRenewals, max: MAX_AUTO_RENEWALS },
    newCode,
    cancel: () => {
      if (ticketId) cancelMutate(ticketId);
    },
    cancelling: cancel.isPending,
    cancelError: cancel.error,
  };
}
