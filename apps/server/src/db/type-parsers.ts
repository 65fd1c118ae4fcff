/**
 * Value parsing shared by both engines, so that a query returns the same JS values on PGlite
 * and on a Postgres server: days stay 'YYYY-MM-DD' strings (no time-zone shift), counts and
 * money are numbers (bigint counts never approach 2^53 here).
 */
const OID = { int8: 20, numeric: 1700, date: 1082 } as const;

const toNumber = (value: string) => Number(value);
const asIs = (value: string) => value;

export const typeParsers: Record<number, (value: string) => unknown> = {
  [OID.int8]: toNumber,
  [OID.numeric]: toNumber,
  [OID.date]: asIs,
};
