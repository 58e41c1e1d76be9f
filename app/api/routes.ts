import type { Route } from "@/lib/http/handler";
import * as accountPassword from "./account/password/route";
import * as account from "./account/route";
import * as accounts from "./accounts/route";
import * as healthLive from "./health/live/route";
import * as health from "./health/route";
import * as metrics from "./metrics/route";
import * as mobileSessionCurrent from "./mobile/sessions/current/route";
import * as mobileSessions from "./mobile/sessions/route";
import * as noticeDismiss from "./notices/[sessionId]/dismiss/route";
import * as notices from "./notices/route";
import * as openapi from "./openapi.json/route";
import * as passkey from "./passkeys/[passkeyId]/route";
import * as passkeyReauth from "./passkeys/reauth/route";
import * as passkeyRecoveryCodes from "./passkeys/recovery-codes/route";
import * as passkeyRegistrationBegin from "./passkeys/registration/begin/route";
import * as passkeyRegistrationFinish from "./passkeys/registration/finish/route";
import * as passkeys from "./passkeys/route";
import * as passkeySetting from "./passkeys/setting/route";
import * as passkeyStepUp from "./passkeys/step-up/route";
import * as ticketApproval from "./qr/[ticketId]/approval/route";
import * as ticketConfirm from "./qr/[ticketId]/confirm/route";
import * as ticketDeny from "./qr/[ticketId]/deny/route";
import * as ticketPasskeyBegin from "./qr/[ticketId]/passkey/begin/route";
import * as ticketPasskeyFinish from "./qr/[ticketId]/passkey/finish/route";
import * as ticketRefuse from "./qr/[ticketId]/refuse/route";
import * as ticketReport from "./qr/[ticketId]/report/route";
import * as ticket from "./qr/[ticketId]/route";
import * as ticketScan from "./qr/[ticketId]/scan/route";
import * as lookup from "./qr/lookup/route";
import * as create from "./qr/route";
import * as recovery from "./recovery/route";
import * as sessionReport from "./sessions/[sessionId]/report/route";
import * as session from "./sessions/[sessionId]/route";
import * as sessions from "./sessions/route";

/**
 * Every API route by its OpenAPI path: the one list the API document is
 * generated from (each served method's spec: summary, auth, input, success
 * and errors). A route.ts under app/api that is missing here fails
 * tests/api/openapi.test.ts. next-auth's routes (/api/auth/*) are its own.
 */
export const API_ROUTES: Record<string, Record<string, unknown>> = {
  "/api/qr": create,
  "/api/qr/{ticketId}": ticket,
  "/api/qr/{ticketId}/refuse": ticketRefuse,
  "/api/qr/{ticketId}/scan": ticketScan,
  "/api/qr/{ticketId}/approval": ticketApproval,
  "/api/qr/{ticketId}/confirm": ticketConfirm,
  "/api/qr/{ticketId}/deny": ticketDeny,
  "/api/qr/{ticketId}/report": ticketReport,
  "/api/qr/{ticketId}/passkey/begin": ticketPasskeyBegin,
  "/api/qr/{ticketId}/passkey/finish": ticketPasskeyFinish,
  "/api/qr/lookup": lookup,
  "/api/mobile/sessions": mobileSessions,
  "/api/mobile/sessions/current": mobileSessionCurrent,
  "/api/accounts": accounts,
  "/api/account": account,
  "/api/account/password": accountPassword,
  "/api/sessions": sessions,
  "/api/sessions/{sessionId}": session,
  "/api/sessions/{sessionId}/report": sessionReport,
  "/api/passkeys": passkeys,
  "/api/passkeys/registration/begin": passkeyRegistrationBegin,
  "/api/passkeys/registration/finish": passkeyRegistrationFinish,
  "/api/passkeys/{passkeyId}": passkey,
  "/api/passkeys/setting": passkeySetting,
  "/api/passkeys/step-up": passkeyStepUp,
  "/api/passkeys/reauth": passkeyReauth,
  "/api/passkeys/recovery-codes": passkeyRecoveryCodes,
  "/api/recovery": recovery,
  "/api/notices": notices,
  "/api/notices/{sessionId}/dismiss": noticeDismiss,
  "/api/health": health,
  "/api/health/live": healthLive,
  "/api/metrics": metrics,
  "/api/openapi.json": openapi,
};

const DOCUMENTED = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** The methods a route module serves (HEAD goes with GET; the rest answer 405), with their routes. */
export function servedMethods(module: Record<string, unknown>): [string, Route][] {
  return DOCUMENTED.flatMap((method) => {
    const handler = module[method] as Partial<Route> | undefined;
    return handler?.spec ? [[method, handler as Route]] : [];
  });
}
