import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN_ROOT = '/usr/lib/postgresql';

/** The newest server binaries under /usr/lib/postgresql/<version>/bin. */
function binDir(): string {
  const override = process.env.CHAOS_PG_BIN;
  if (override) return override;
  const versions = ['17', '16', '15', '14'].filter((v) => existsSync(join(BIN_ROOT, v, 'bin')));
  if (versions.length === 0) throw new Error(`No Postgres server binaries under ${BIN_ROOT}`);
  return join(BIN_ROOT, versions[0]!, 'bin');
}

/**
 * A Postgres cluster of the suite's own (initdb into a temporary folder, its own port), so
 * stopping it touches nothing else: the shared server on 5432 is never stopped. Postgres
 * refuses to run as root, so as root the cluster runs as the `postgres` user.
 */
export class ThrowawayPostgres {
  readonly dir = mkdtempSync(join(tmpdir(), 'tenure-chaos-pg-'));
  private readonly bin = binDir();

  constructor(readonly port: number) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  init(): void {
    chmodSync(this.dir, 0o777);
    this.run('initdb', ['-D', this.data, '-U', 'postgres', '-A', 'trust', '--no-sync']);
  }

  start(): void {
    this.run('pg_ctl', [
      '-D',
      this.data,
      '-l',
      join(this.dir, 'log'),
      '-w',
      '-o',
      // fsync off: the suite kills Tenure and stops Postgres cleanly, never the machine.
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      'start',
    ]);
  }

  /** A fast shutdown: sessions are cut, as in a failover or a restart for an upgrade. */
  stop(): void {
    this.run('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', 'stop']);
  }

  destroy(): void {
    try {
      this.run('pg_ctl', ['-D', this.data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Not running.
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private get data() {
    return join(this.dir, 'data');
  }

  private run(tool: string, args: string[]) {
    const command = join(this.bin, tool);
    const asRoot = process.getuid?.() === 0;
    execFileSync(
      asRoot ? 'runuser' : command,
      asRoot ? ['-u', 'postgres', '--', command, ...args] : args,
      {
        stdio: 'ignore',
      },
    );
  }
}
