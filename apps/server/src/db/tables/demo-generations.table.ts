import type { ColumnType, Selectable } from 'kysely';

/** The demo project's keys and generation progress (see the 2026-12-06 migration). */
export interface DemoGenerationsTable {
  project_id: string;
  write_key: string;
  secret_key: string;
  accounts: number;
  days: number;
  window_end: Date;
  started_at: ColumnType<Date, Date | undefined, never>;
  finished_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The demo user's workspace password, printed at each start (2026-12-06T18-00-workspace). */
  workspace_password: ColumnType<string | null, string | null | undefined, string | null>;
}

export type DemoGeneration = Selectable<DemoGenerationsTable>;
