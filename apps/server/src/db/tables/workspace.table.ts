import type { ColumnType, Selectable } from 'kysely';

export type WorkspaceRole = 'admin' | 'viewer';

/** A person who signs in to the web workspace (not an end user of a customer's product). */
export interface DashboardUsersTable {
  id: string;
  /** Lower-cased and trimmed: sign-in compares addresses case-insensitively. */
  email: string;
  /** `scrypt$N$r$p$salt$hash` (see workspace/password-hash.ts). */
  password_hash: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface DashboardMembershipsTable {
  user_id: string;
  project_id: string;
  role: WorkspaceRole;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface DashboardSessionsTable {
  /** SHA-256 of the cookie's token: a leaked table holds no usable session. */
  token_hash: string;
  user_id: string;
  /** Sent back in `X-CSRF-Token` on every state-changing call. */
  csrf_token: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  expires_at: Date;
}

export type DashboardUser = Selectable<DashboardUsersTable>;
export type DashboardSession = Selectable<DashboardSessionsTable>;
