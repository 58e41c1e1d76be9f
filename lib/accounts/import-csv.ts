import "server-only";
import type { AccountStore } from "./store";

/** What happened to one line of an import. */
export type ImportOutcome =
  | { line: number; outcome: "added"; username: string; displayName: string }
  | { line: number; outcome: "skipped"; username: string; reason: "exists" }
  | { line: number; outcome: "refused"; reason: string };

/**
 * RFC 4180 CSV: fields separated by commas, optionally in double quotes (a
 * quote inside doubled), records by CRLF or LF. Returns each record with the
 * line it starts on.
 */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === "")) records.push({ line: start, fields });
    fields = [];
    field = "";
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === "\n") line++;
        field += c;
      }
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      fields.push(field);
      field = "";
    } else if (c === "\n" || (c === "\r" && text[i + 1] === "\n")) {
      if (c === "\r") i++;
      endRecord();
      line++;
      start = line;
    } else field += c;
  }
  if (quoted) throw new ImportError(`line ${start}: a quoted field is not closed`);
  if (field !== "" || fields.length > 0) endRecord();
  return records;
}

const COLUMNS = ["username", "display_name", "password_hash", "password"] as const;

/**
 * Imports accounts from CSV text with a header row naming its columns:
 * `username` (required), `display_name`, and `password_hash` (argon2 PHC or
 * bcrypt, upgraded to argon2id at the account's next sign-in) or `password`
 * (hashed here). Each line is one account made in one insert — added, or
 * skipped because the username exists, or refused with the reason; never
 * half an account. A malformed header refuses the whole file (ImportError).
 */
export async function importAccounts(
  store: AccountStore,
  text: string,
  /** Told of each line as it is done (a failure of the database part-way stops the rest). */
  report: (outcome: ImportOutcome) => void = () => {},
): Promise<ImportOutcome[]> {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new ImportError("the file is empty: a header row is required");
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const unknown = names.filter((n) => !(COLUMNS as readonly string[]).includes(n));
  if (unknown.length > 0 || !names.includes("username")) {
    throw new ImportError(
      `line 1 must be a header naming the columns: username, and display_name, password_hash or password (found: ${header.fields.join(",")})`,
    );
  }
  if (!names.includes("password") && !names.includes("password_hash")) {
    throw new ImportError("the header names neither password_hash nor password");
  }
  if (new Set(names).size !== names.length)
    throw new ImportError("the header names a column twice");
  const outcomes: ImportOutcome[] = [];
  for (const { line, fields } of rows) {
    const outcome = await importLine(store, line, names, fields);
    report(outcome);
    outcomes.push(outcome);
  }
  return outcomes;
}

async function importLine(
  store: AccountStore,
  line: number,
  names: string[],
  fields: string[],
): Promise<ImportOutcome> {
  if (fields.length !== names.length) {
    return {
      line,
      outcome: "refused",
      reason: `expected ${names.length} fields, found ${fields.length}`,
    };
  }
  const get = (name: string) => fields[names.indexOf(name)] ?? "";
  const username = get("username").trim();
  const displayName = get("display_name").trim();
  const password = get("password");
  const passwordHash = get("password_hash").trim();
  if (!username) return { line, outcome: "refused", reason: "no username" };
  if (password && passwordHash) {
    return { line, outcome: "refused", reason: `${username}: both a password and a password_hash` };
  }
  if (!password && !passwordHash) {
    return { line, outcome: "refused", reason: `${username}: no password or password_hash` };
  }
  if (await store.find(username)) {
    return { line, outcome: "skipped", username, reason: "exists" };
  }
  try {
    const account = await store.create({
      username,
      ...(displayName ? { displayName } : {}),
      ...(passwordHash ? { passwordHash } : { password }),
    });
    return {
      line,
      outcome: "added",
      username: account.username,
      displayName: account.displayName,
    };
  } catch (error) {
    const refusal = error as { name?: string; reason?: string; message?: string };
    if (refusal?.name !== "AccountError") throw error;
    if (refusal.reason === "exists")
      return { line, outcome: "skipped", username, reason: "exists" };
    return { line, outcome: "refused", reason: refusal.message ?? "refused" };
  }
}

/** The file as a whole cannot be imported (no header, an unclosed quote). */
export class ImportError extends Error {
  override name = "ImportError";
}
