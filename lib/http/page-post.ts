import { readCapped } from "./read-capped";

/**
 * A POST to a page is a form post or a server action (Next.js decodes its
 * body before any of our code runs, and answered a body it could not read
 * with a 500 on every page: issue 21, item 6). This checks, before Next.js
 * does, that the body can be read: a multipart body must parse as a form,
 * and a server action's reply (the `Next-Action` header) must be a JSON
 * array whose `$`-strings are only the plain kinds a form action sends
 * (React's reply format: escaped `$$…`, `$K…` form data, `$undefined`,
 * dates, numbers). Anything else gets a 400 in words, not Next.js's 500.
 * Returns the message, or null to go on.
 */
const MAX_PAGE_BODY_BYTES = 64 * 1024;

/**
 * The route handlers outside /api that take plain forms (lib/http/form-body.ts
 * reads them): a multipart post there names no server action. Every other
 * path the proxy sees is a page, where Next.js takes a multipart post for a
 * no-JavaScript server action (`$ACTION_…` fields) and answers one without
 * any in its own words. Kept in step with app/ by lib/http/page-post.test.ts.
 */
export const FORM_ROUTES: ReadonlySet<string> = new Set([
  "/language",
  "/login/password",
  "/signup/create",
  "/m/nudge",
]);

const PLAIN_REPLY_VALUE = /^\$(\$.*|K[0-9a-f]+|undefined|D.*|n-?\d+|-0|NaN|-?Infinity)$/s;

export async function pagePostProblem(request: Request): Promise<string | null> {
  if (request.method !== "POST") return null;
  const type = request.headers.get("content-type") ?? "";
  const multipart = /^multipart\/form-data\s*(;|$)/i.test(type);
  const action = request.headers.has("next-action");
  if (!multipart && !action) return null;
  const bytes = await readCapped(request.clone().body, MAX_PAGE_BODY_BYTES);
  if (bytes === null) return "The form is too large.";
  let root: string | null;
  if (multipart) {
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(bytes), {
        headers: { "content-type": type },
      }).formData();
    } catch {
      return "The form could not be read: its body is not valid multipart/form-data.";
    }
    if (!action) {
      const page = !FORM_ROUTES.has(new URL(request.url).pathname);
      return !page || [...form.keys()].some((name) => name.startsWith("$ACTION_"))
        ? null
        : "The form could not be read: it names no action of this page. Reload the page and send it again.";
    }
    const field = form.get("0");
    root = typeof field === "string" ? field : null;
  } else {
    root = new TextDecoder().decode(bytes);
  }
  return root !== null && isPlainReply(root)
    ? null
    : "The form could not be read: its action's arguments are malformed.";
}

function isPlainReply(text: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  return Array.isArray(value) && plain(value);
}

function plain(value: unknown): boolean {
  if (typeof value === "string") return !value.startsWith("$") || PLAIN_REPLY_VALUE.test(value);
  if (Array.isArray(value)) return value.every(plain);
  if (value && typeof value === "object") return Object.values(value).every(plain);
  return true;
}
