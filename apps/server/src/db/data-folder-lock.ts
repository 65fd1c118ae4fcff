import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmdirSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DataFolderError } from './data-folder-error.js';

/** The lock's file name inside the data folder (Postgres ignores files it does not know). */
export const LOCK_FILE = 'tenure.lock';

interface LockOwner {
  pid: number;
  host: string;
  /** The process's start time in clock ticks since boot (Linux), so a reused pid is not taken for the owner. */
  started: string | null;
  since: string;
}

export interface DataFolderLock {
  release(): void;
}

/** The start time of `pid` from /proc (field 22 of stat), or null where there is no /proc. */
function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(owner: LockOwner): boolean {
  // A lock written on another host (a folder on a network share) cannot be checked from here.
  if (owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const started = processStart(owner.pid);
  return owner.started === null || started === null || started === owner.started;
}

function readOwner(path: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
    return Number.isInteger(owner.pid) ? owner : null;
  } catch {
    return null;
  }
}

function create(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    started: processStart(process.pid),
    since: new Date().toISOString(),
  };
  writeSync(fd, JSON.stringify(owner));
  closeSync(fd);
  return true;
}

function lockedMessage(dataDir: string, owner: LockOwner | null): string {
  const who = owner
    ? `process ${owner.pid}${owner.host === hostname() ? '' : ` on ${owner.host}`} (since ${owner.since})`
    : 'another process';
  return (
    `The embedded database in ${dataDir} is in use by ${who}. ` +
    'One process at a time may open it: a second one would damage it. ' +
    `Stop that process${owner ? ` (kill ${owner.pid})` : ''} first, use another folder ` +
    '(TENURE_DATA_DIR), or run several processes on Postgres (DATABASE_URL).'
  );
}

/**
 * Makes this process the only one using an embedded data folder. PGlite keeps no lock of its
 * own: two processes on one folder both start, each acknowledges writes the other never sees,
 * and the folder ends up unreadable. The lock file is created with O_EXCL; a lock whose process
 * is gone (killed, crashed) is recognised by its pid and start time and taken over.
 */
export function lockDataFolder(dataDir: string): DataFolderLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  if (!create(path)) {
    const owner = readOwner(path);
    if (owner && isAlive(owner)) throw new DataFolderError(lockedMessage(dataDir, owner));
    // Stale: only one process may take it over, so the takeover itself is guarded by a mkdir.
    const takeover = `${path}.takeover`;
    try {
      mkdirSync(takeover);
    } catch {
      throw new DataFolderError(lockedMessage(dataDir, null));
    }
    try {
      if (readOwner(path)?.pid === owner?.pid) unlinkSync(path);
      if (!create(path)) throw new DataFolderError(lockedMessage(dataDir, readOwner(path)));
    } finally {
      rmdirSync(takeover);
    }
  }
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    if (readOwner(path)?.pid === process.pid) unlinkSync(path);
  };
  // A process that exits without closing the database (process.exit in a handler) lets go too.
  process.on('exit', release);
  return { release };
}
