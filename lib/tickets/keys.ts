/**
 * Every Redis key the app uses. Ticket keys carry the ticket id as a hash tag
 * (`{…}`) so that all of one ticket's keys live in one Cluster slot.
 */
export const keys = {
  ticket: (ticketId: string) => `qrl:{${ticketId}}:ticket`,
  userCode: (code: string) => `qrl:code:{${code}}`,
  mobileToken: (tokenHash: string) => `qrl:mtok:{${tokenHash}}`,
  /** Channel on which every ticket change is published. */
  events: "qrl:events",
} as const;
