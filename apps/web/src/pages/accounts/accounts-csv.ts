import type { AccountListItem } from '../../api/api.types.js';

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
function field(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const COLUMNS: [string, (account: AccountListItem) => unknown][] = [
  ['accountId', (a) => a.accountId],
  ['name', (a) => a.name],
  ['score', (a) => a.score],
  ['tier', (a) => a.tier],
  ['trend', (a) => a.trend.change],
  ['churnProbability', (a) => a.churnProbability],
  ['mrr', (a) => a.mrr],
  ['plan', (a) => a.plan],
  ['seats', (a) => a.seats],
  ['lastSeen', (a) => a.lastSeen],
  ['tenureDays', (a) => a.tenureDays],
  ['segments', (a) => a.segments.join(' ')],
  ['topFactor', (a) => a.topFactors[0]?.message],
];

/** The accounts as CSV (CRLF lines, a header row), the columns of the list. */
export function accountsCsv(accounts: readonly AccountListItem[]): string {
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const account of accounts) {
    lines.push(COLUMNS.map(([, read]) => field(read(account))).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Hands a text to the browser as a downloaded file. */
export function download(filename: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
