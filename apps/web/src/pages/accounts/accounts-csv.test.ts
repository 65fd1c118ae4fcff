import { describe, expect, it } from 'vitest';
import type { AccountListItem } from '../../api/api.types.js';
import { accountsCsv } from './accounts-csv.js';

const account = (fields: Partial<AccountListItem>): AccountListItem => ({
  accountId: 'acme',
  name: 'Acme',
  plan: 'team',
  mrr: 400,
  seats: 5,
  lastSeen: '2026-11-18',
  tenureDays: 120,
  segments: ['established', 'size:100-1000'],
  score: 81,
  tier: 'critical',
  trend: { previousScore: 70, change: 11, direction: 'rising' },
  topFactors: [
    {
      key: 'days_since_last_login',
      value: 23,
      baseline: 21,
      contribution: 35,
      message: 'No login for 23 days (threshold 21)',
    },
  ],
  churnedAt: null,
  ...fields,
});

describe('accountsCsv', () => {
  it('writes a header and one CRLF line per account, the list columns in order', () => {
    expect(accountsCsv([account({})]).split('\r\n')).toEqual([
      'accountId,name,score,tier,trend,churnProbability,mrr,plan,seats,lastSeen,tenureDays,segments,topFactor',
      'acme,Acme,81,critical,11,,400,team,5,2026-11-18,120,established size:100-1000,No login for 23 days (threshold 21)',
      '',
    ]);
  });

  it('quotes fields with commas, quotes and line breaks (RFC 4180), and leaves missing ones empty', () => {
    const [, line] = accountsCsv([
      account({
        name: 'Smith, "Jones"\nand Co',
        mrr: null,
        churnProbability: 0.42,
        topFactors: [],
      }),
    ]).split(/\r\n(?=acme)/);
    expect(line).toBe(
      'acme,"Smith, ""Jones""\nand Co",81,critical,11,0.42,,team,5,2026-11-18,120,established size:100-1000,\r\n',
    );
  });
});
