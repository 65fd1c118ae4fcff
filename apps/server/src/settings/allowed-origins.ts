import { z } from 'zod';
import type { Db } from '../db/database.types.js';

/** `*` (any origin) or an http(s) origin; a URL is reduced to its origin. */
export const allowedOriginSchema = z.union([
  z.literal('*'),
  z.url({ protocol: /^https?$/ }).transform((url) => new URL(url).origin),
]);

export const allowedOriginsSchema = z.array(allowedOriginSchema).max(100);

export async function getAllowedOrigins(db: Db, projectId: string): Promise<string[]> {
  const row = await db
    .selectFrom('projects')
    .select('allowed_origins')
    .where('id', '=', projectId)
    .executeTakeFirst();
  return row?.allowed_origins ?? ['*'];
}

export async function saveAllowedOrigins(
  db: Db,
  projectId: string,
  origins: string[],
): Promise<void> {
  await db
    .updateTable('projects')
    .set({ allowed_origins: origins })
    .where('id', '=', projectId)
    .execute();
}
