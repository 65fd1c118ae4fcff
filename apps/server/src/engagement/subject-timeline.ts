import type { z } from 'zod';
import type { Db } from '../db/database.types.js';
import { ACTIVITY_COUNTERS } from '../db/tables/rollups.table.js';
import { AppError } from '../errors/app-error.js';
import { effectiveAsOf } from '../time/as-of.js';
import { activityBuckets, type Subject } from './activity.sql.js';
import type { timelineQuerySchema } from './engagement.schemas.js';
import { subjectCadence } from './subject-cadence.js';
import { bucketStarts, timelineRange } from './time-buckets.js';

type TimelineQuery = z.output<typeof timelineQuerySchema>;

const EMPTY_BUCKET = {
  activeDays: 0,
  activeUsers: 0,
  ...Object.fromEntries(ACTIVITY_COUNTERS.map((name) => [name, 0])),
};

/**
 * An account's or user's activity by day, week or month, every bucket of the range present
 * (empty ones zeroed), with the usage cadence and its shifts inside the range.
 */
export async function subjectTimeline(
  db: Db,
  projectId: string,
  subject: Subject,
  query: TimelineQuery,
) {
  const asOf = effectiveAsOf(query.asOf);
  const range = timelineRange(query, asOf);
  if ('error' in range) throw new AppError('invalid_request', { message: range.error });
  const [buckets, cadence] = await Promise.all([
    activityBuckets(db, projectId, subject, range, query.interval, asOf),
    subjectCadence(db, projectId, subject, asOf),
  ]);
  const byStart = new Map(buckets.map((bucket) => [bucket.start, bucket]));
  return {
    asOf: asOf.toISOString(),
    interval: query.interval,
    ...range,
    cadence: {
      ...cadence,
      shifts: cadence.shifts.filter((shift) => shift.on >= range.from && shift.on <= range.to),
    },
    buckets: bucketStarts(range.from, range.to, query.interval).map(
      (start) => byStart.get(start) ?? { ...EMPTY_BUCKET, start },
    ),
  };
}
