import "server-only";
import { StoreUnavailableError } from "./kv";

/**
 * Runs one store call with a deadline: past `timeoutMs`, or on any failure of
 * the call, it fails as StoreUnavailableError (a 503 with Retry-After). Every
 * Redis call goes through it: the store's and the rate limiters' alike.
 */
export async function withDeadline<T>(
  timeoutMs: number,
  call: () => Promise<T>,
  what = "Redis",
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    // Timers run before I/O in each event-loop turn: when the loop was busy
    // past the deadline, a reply already waiting on the socket would lose to
    // the timer. setImmediate lets that I/O be read first, so only a store
    // that really did not answer is a 503 (not a slow process).
    const expire = () =>
      reject(new StoreUnavailableError(`${what} did not answer within ${timeoutMs} ms`));
    timer = setTimeout(() => setImmediate(expire), timeoutMs);
  });
  try {
    return await Promise.race([call(), timeout]);
  } catch (error) {
    if (StoreUnavailableError.is(error)) throw error;
    throw new StoreUnavailableError(`${what} failed`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
