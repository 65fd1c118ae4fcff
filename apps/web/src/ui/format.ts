import type { RiskTier } from '../api/api.types.js';

const money = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});

/** The API's missing value (`null`, or a field an older server does not send). */
export const DASH = '–';

export const formatMoney = (value: number | null | undefined) =>
  value === null || value === undefined ? DASH : money.format(value);

export const formatPercent = (value: number | null | undefined, digits = 1) =>
  value === null || value === undefined ? DASH : `${(value * 100).toFixed(digits)}%`;

export const formatNumber = (value: number | null | undefined) =>
  value === null || value === undefined ? DASH : value.toLocaleString('en-US');

/** `2026-11-18` or a timestamp as "18 Nov 2026" (UTC, as the API counts days). */
export function formatDay(value: string | null | undefined): string {
  if (!value) return DASH;
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  return date.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return DASH;
  return new Date(value).toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  });
}

/** "761 days" as "2 years 1 month": how long a customer has been one. */
export function formatTenure(days: number | null | undefined): string {
  if (days === null || days === undefined) return DASH;
  if (days < 60) return `${days} days`;
  const months = Math.floor(days / 30.44);
  if (months < 24) return `${months} months`;
  const years = Math.floor(months / 12);
  const rest = months % 12;
  return rest ? `${years} years ${rest} months` : `${years} years`;
}

export const TIER_LABELS: Record<RiskTier, string> = {
  critical: 'Critical',
  at_risk: 'At risk',
  watch: 'Watch',
  healthy: 'Healthy',
};

/** Tier colours, also used for the bands behind score charts. */
export const TIER_COLORS: Record<RiskTier, string> = {
  critical: '#c62828',
  at_risk: '#e65100',
  watch: '#a07800',
  healthy: '#2e7d32',
};

/** `days_since_last_login` as "Days since last login". */
export function humanize(key: string): string {
  const words = key
    .replace(/[_:]+/g, ' ')
    .trim()
    .replace(/\b(mrr|kb|csm|api)\b/gi, (word) => word.toUpperCase());
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Days between a day and `asOf` ("3 days ago"). */
export function daysAgo(day: string | null, asOf: string): string {
  if (!day) return 'never';
  const days = Math.floor((Date.parse(asOf) - Date.parse(`${day.slice(0, 10)}T00:00:00Z`)) / 864e5);
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${days} days ago`;
}
