import { ApiError, errorResponse } from "./errors";
import { MAX_BODY_BYTES } from "./handler";
import { readCapped } from "./read-capped";

/**
 * A plain form's fields (application/x-www-form-urlencoded), read up to the
 * API's body cap whatever the request declared: the server seam refuses a
 * Content-Length past the cap, and this stops a chunked body that runs past
 * it. `null` means too large; answer it with `tooLargeForm()`.
 */
export async function readForm(req: Request): Promise<URLSearchParams | null> {
  const bytes = await readCapped(req.body, MAX_BODY_BYTES);
  return bytes === null ? null : new URLSearchParams(new TextDecoder().decode(bytes));
}

/** 413 in the error shape, for a form past the cap. */
export const tooLargeForm = () => errorResponse(new ApiError("payload_too_large"));
