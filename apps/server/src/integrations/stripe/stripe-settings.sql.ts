import type { Db } from '../../db/database.types.js';

export interface StripeSettings {
  /** The webhook endpoint's signing secret (`whsec_...`); null until set. */
  endpointSecret: string | null;
  /** Where a customer's account id comes from: a metadata key, or the customer id itself. */
  accountFrom: 'metadata' | 'customer';
  metadataKey: string;
}

export const DEFAULT_STRIPE_SETTINGS: StripeSettings = {
  endpointSecret: null,
  accountFrom: 'metadata',
  metadataKey: 'tenure_account_id',
};

export async function getStripeSettings(db: Db, projectId: string): Promise<StripeSettings> {
  const row = await db
    .selectFrom('stripe_settings')
    .select(['endpoint_secret', 'account_from', 'metadata_key'])
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  if (!row) return DEFAULT_STRIPE_SETTINGS;
  return {
    endpointSecret: row.endpoint_secret,
    accountFrom: row.account_from,
    metadataKey: row.metadata_key,
  };
}

export async function saveStripeSettings(
  db: Db,
  projectId: string,
  settings: StripeSettings,
): Promise<void> {
  const values = {
    endpoint_secret: settings.endpointSecret,
    account_from: settings.accountFrom,
    metadata_key: settings.metadataKey,
    updated_at: new Date(),
  };
  await db
    .insertInto('stripe_settings')
    .values({ project_id: projectId, ...values })
    .onConflict((oc) => oc.column('project_id').doUpdateSet(values))
    .execute();
}
