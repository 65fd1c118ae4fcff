import type { ColumnType, Insertable, Selectable } from 'kysely';

export interface ProjectsTable {
  id: string;
  name: string;
  settings: ColumnType<Record<string, unknown>, string | undefined, string>;
  allowed_origins: ColumnType<string[], string[] | undefined, string[]>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export type ApiKeyKind = 'write' | 'secret';

export interface ApiKeysTable {
  key_hash: string;
  project_id: string;
  kind: ApiKeyKind;
  /** The first characters of the key, to tell keys apart without revealing them. */
  prefix: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  revoked_at: ColumnType<Date | null, Date | undefined, Date | null>;
}

export type Project = Selectable<ProjectsTable>;
export type NewProject = Insertable<ProjectsTable>;
export type ApiKey = Selectable<ApiKeysTable>;
