import { type Kysely, sql } from 'kysely';

/**
 * A model remembers the time it was trained as of (`trained_as_of`): no feature or label it
 * learned from is later. A risk answer for time T uses the newest adopted model trained as of a
 * time at or before T, so a model trained today on two years of imported history also answers
 * for last year, and a backtest as of last year never sees a model that knew the outcome.
 * Earlier runs were trained as of their creation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table risk_models add column trained_as_of timestamptz;
    update risk_models set trained_as_of = created_at;
    alter table risk_models alter column trained_as_of set not null;
    drop index risk_models_active;
    create index risk_models_active on risk_models (project_id, trained_as_of) where active;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index risk_models_active;
    alter table risk_models drop column trained_as_of;
    create index risk_models_active on risk_models (project_id, created_at) where active;
  `.execute(db);
}
