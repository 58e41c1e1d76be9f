import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";

/** What the figures were measured on. */
export interface Machine {
  date: string;
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  os: string;
  kernel: string;
  node: string;
  redis: string;
  next: string;
  nextAuth: string;
  distDir: string;
  /** 1-minute load average when the scenarios started and ended: others' work on a shared machine. */
  loadAverage: { start: number; end?: number };
}

const version = (pkg: string) => {
  try {
    return (
      JSON.parse(readFileSync(`node_modules/${pkg}/package.json`, "utf8")) as { version: string }
    ).version;
  } catch {
    return "unknown";
  }
};

export function machine(): Machine {
  let redis = "unknown";
  try {
    redis = /v=(\S+)/.exec(execFileSync("redis-server", ["--version"]).toString())?.[1] ?? redis;
  } catch {}
  let osName = `${os.type()} ${os.release()}`;
  try {
    osName =
      /^PRETTY_NAME="?([^"\n]+)/m.exec(readFileSync("/etc/os-release", "utf8"))?.[1] ?? osName;
  } catch {}
  return {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: osName,
    kernel: os.release(),
    node: process.version,
    redis,
    next: version("next"),
    nextAuth: version("next-auth"),
    distDir: process.env.NEXT_DIST_DIR || ".next",
    loadAverage: { start: loadAverage() },
  };
}

export const loadAverage = () => Math.round((os.loadavg()[0] ?? 0) * 100) / 100;
