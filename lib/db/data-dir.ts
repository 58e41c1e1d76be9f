import "server-only";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { resolve } from "node:path";

/**
 * PGlite serves one process: two processes on one folder would corrupt it.
 * The folder's `qrl.lock` holds the pid of the process using it; another
 * process (a second server, or `npm run users` while the server runs) is
 * refused with one line saying which. A lock whose process is gone is taken over.
 */
export async function takeDataDir(dataDir: string): Promise<string> {
  const folder = resolve(dataDir);
  await mkdir(folder, { recursive: true });
  const lock = `${folder}/qrl.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lock, String(process.pid), { flag: "wx" });
      return folder;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(await readFile(lock, "utf8").catch(() => ""));
      if (holder && holder !== process.pid && alive(holder)) {
        throw new DataDirInUseError(
          `The data folder ${folder} is in use by process ${holder}: the embedded database serves one process (stop it, or set DATABASE_URL)`,
        );
      }
      await rm(lock, { force: true });
    }
  }
  throw new DataDirInUseError(`The data folder ${folder} could not be locked`);
}

export async function releaseDataDir(folder: string): Promise<void> {
  const lock = `${folder}/qrl.lock`;
  const holder = Number(await readFile(lock, "utf8").catch(() => ""));
  if (holder === process.pid) await rm(lock, { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class DataDirInUseError extends Error {
  override name = "DataDirInUseError";
}
