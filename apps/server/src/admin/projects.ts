import { randomBytes } from 'node:crypto';
import { insertKey } from '../auth/api-keys.js';
import type { Db } from '../db/database.types.js';
import type { ApiKeyKind } from '../db/tables/projects.table.js';

export interface ProjectCredentials {
  projectId: string;
  writeKey: string;
  secretKey: string;
}

/**
 * Creates a project with one write key and one secret key. The keys are returned once; only
 * their hashes are stored.
 */
export async function createProject(
  db: Db,
  input: { name: string; allowedOrigins?: string[] | undefined; id?: string | undefined },
): Promise<ProjectCredentials> {
  const projectId = input.id ?? `prj_${randomBytes(9).toString('base64url')}`;
  return db.transaction().execute(async (tx) => {
    await tx
      .insertInto('projects')
      .values({ id: projectId, name: input.name, allowed_origins: input.allowedOrigins ?? ['*'] })
      .execute();
    const writeKey = await insertKey(tx, projectId, 'write');
    const secretKey = await insertKey(tx, projectId, 'secret');
    return { projectId, writeKey, secretKey };
  });
}

/** Issues a new key of `kind` and revokes the project's previous keys of that kind. */
export async function rotateKey(
  db: Db,
  projectId: string,
  kind: ApiKeyKind,
): Promise<string | undefined> {
  return db.transaction().execute(async (tx) => {
    const project = await tx
      .selectFrom('projects')
      .select('id')
      .where('id', '=', projectId)
      .executeTakeFirst();
    if (!project) return undefined;
    await tx
      .updateTable('api_keys')
      .set({ revoked_at: new Date() })
      .where('project_id', '=', projectId)
      .where('kind', '=', kind)
      .where('revoked_at', 'is', null)
      .execute();
    return insertKey(tx, projectId, kind);
  });
}
