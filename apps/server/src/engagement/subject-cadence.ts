import type { Db } from '../db/database.types.js';
import { getProjectSettings } from '../settings/project-settings.js';
import { addDays, utcDay } from '../time/utc-day.js';
import { activeDays, type Subject } from './activity.sql.js';
import { type UsageCadence, usageCadence } from './usage-cadence.js';

/** How far back cadence looks for its shifts (and the 28 days its rules need). */
const CADENCE_HISTORY_DAYS = 400;

/** An account's or user's usage cadence as of `asOf`, with the shifts of the last 400 days. */
export async function subjectCadence(
  db: Db,
  projectId: string,
  subject: Subject,
  asOf: Date,
): Promise<UsageCadence> {
  const end = utcDay(asOf);
  const start = addDays(end, -CADENCE_HISTORY_DAYS);
  const [days, settings] = await Promise.all([
    activeDays(db, projectId, subject, start, asOf),
    getProjectSettings(db, projectId),
  ]);
  return usageCadence(days, start, end, settings.inactivityDays);
}
