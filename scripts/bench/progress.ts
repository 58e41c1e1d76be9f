/**
 * The live progress line on stderr: scenario, elapsed time, requests so far.
 * On a terminal it rewrites one line; in a log (CI, a pipe) it prints a line
 * every few seconds instead.
 */
const tty = process.stderr.isTTY === true;

class Progress {
  /**
   * Requests the bench process sent, counted where they are sent: desktops and
   * phones in clients.ts, autocannon per response, the browser per request.
   */
  requests = 0;
  private scenario = "";
  private detail = "";
  private started = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastPrinted = 0;

  begin(scenario: string) {
    this.end();
    this.scenario = scenario;
    this.detail = "";
    this.requests = 0;
    this.started = performance.now();
    this.lastPrinted = 0;
    this.timer = setInterval(() => this.draw(), tty ? 250 : 1000);
    this.timer.unref();
    this.draw();
  }

  /** What the scenario is doing now, e.g. "5,000 desktops waiting". */
  note(detail: string) {
    this.detail = detail;
  }

  /** A line that stays (a finished step, a warning). */
  log(line: string) {
    if (tty) process.stderr.write("\r\x1b[2K");
    process.stderr.write(`${line}\n`);
    this.draw();
  }

  end() {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    const s = ((performance.now() - this.started) / 1000).toFixed(1);
    if (tty) process.stderr.write("\r\x1b[2K");
    process.stderr.write(`[bench] ${this.scenario}: done in ${s} s, ${this.requests} requests\n`);
  }

  private draw() {
    if (!this.timer) return;
    const elapsed = (performance.now() - this.started) / 1000;
    const line = `[bench] ${this.scenario} · ${elapsed.toFixed(1)} s · ${this.requests.toLocaleString("en-US")} requests${this.detail ? ` · ${this.detail}` : ""}`;
    if (tty) process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns || 120) - 1)}`);
    else if (elapsed - this.lastPrinted >= 5) {
      this.lastPrinted = elapsed;
      process.stderr.write(`${line}\n`);
    }
  }
}

export const progress = new Progress();
