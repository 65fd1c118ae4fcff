import type { AccountProfile, AccountRisk, ProjectSettings } from '../../api/api.types.js';
import { api } from '../../api/api-client.js';
import { hrefOf, navigate, type Route } from '../../router/hash-router.js';
import { useDrawnMark } from '../../ui/drawn-mark.js';
import { ErrorPanel } from '../../ui/error-panel.js';
import { DASH, formatPercent } from '../../ui/format.js';
import { TierBadge } from '../../ui/tier-badge.js';
import { TrendArrow } from '../../ui/trend-arrow.js';
import { useApi } from '../../ui/use-api.js';
import { NotFoundPage } from '../not-found.page.js';
import { AccountSummary } from './account-summary.js';
import { AccountUsers } from './account-users.js';
import { ActivityTimeline } from './activity-timeline.js';
import { AsOfControl } from './as-of-control.js';
import { FactorBars } from './factor-bars.js';
import { FeatureAdoption } from './feature-adoption.js';
import { Recommendations } from './recommendations.js';
import { ScoreHistory } from './score-history.js';
import { SupportHistory } from './support-history.js';

/** An asOf day from the URL as the end of that UTC day, so the day's own events count. */
function asOfOf(route: Route): string | null {
  const day = route.query.get('asOf');
  return day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T23:59:59.999Z` : null;
}

function Section(props: { title: string; id: string; children: preact.ComponentChildren }) {
  return (
    <section class="card" aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      {props.children}
    </section>
  );
}

/**
 * One account: why it is at risk, since when, and what to do. Every panel reads the API as of
 * the page's asOf, so moving it redraws the whole page as it was then.
 */
export default function AccountPage({ accountId, route }: { accountId: string; route: Route }) {
  const asOf = asOfOf(route);
  const path = `/v1/accounts/${encodeURIComponent(accountId)}`;
  const core = useApi(
    () =>
      Promise.all([
        api.get<AccountProfile>(path, { asOf }),
        api.get<AccountRisk>(`${path}/risk`, { asOf }),
        api.get<ProjectSettings>('/v1/settings'),
      ]),
    [accountId, asOf],
  );

  useDrawnMark('account-drawn', core.state === 'ready', core.data);

  if (core.state === 'error' && core.error.isNotFound) {
    return <NotFoundPage what="account" id={accountId} />;
  }
  const [profile, risk, settings] = core.data ?? [];
  const setAsOf = (day: string | null) =>
    navigate(hrefOf(`/accounts/${encodeURIComponent(accountId)}`, { asOf: day ?? undefined }));

  return (
    <article class="account" data-state={core.state}>
      <p class="breadcrumb">
        <a href="#/accounts">← Accounts at risk</a>
      </p>
      <div class="page-head">
        <h1>{profile?.name ?? accountId}</h1>
        {risk ? (
          <div class="risk-headline" data-testid="risk-headline">
            <span class="score-big" data-testid="risk-score">
              {risk.score}
            </span>
            <TierBadge tier={risk.tier} />
            <TrendArrow trend={risk.trend} />
            <span class="prob">
              Churn probability:{' '}
              {typeof risk.churnProbability === 'number'
                ? formatPercent(risk.churnProbability, 0)
                : DASH}
            </span>
          </div>
        ) : null}
      </div>
      <AsOfControl key={asOf ?? 'now'} asOf={asOf} onChange={setAsOf} />
      {core.state === 'error' ? <ErrorPanel error={core.error} /> : null}
      {profile && risk && settings ? (
        <div class="account-grid" aria-busy={core.state === 'loading'}>
          <Section title="Account" id="facts-title">
            <AccountSummary profile={profile} />
          </Section>
          <Section title="Why this score" id="factors-title">
            <FactorBars risk={risk} />
          </Section>
          <Section title="What to do" id="recommendations-title">
            <Recommendations risk={risk} />
          </Section>
          <Section title="Score history" id="history-title">
            <ScoreHistory accountId={accountId} asOf={asOf} risk={risk} settings={settings} />
          </Section>
          <Section title="Activity" id="activity-title">
            <ActivityTimeline accountId={accountId} asOf={asOf} />
          </Section>
          <Section title="Users" id="users-title">
            <AccountUsers profile={profile} />
          </Section>
          <Section title="Feature adoption" id="features-title">
            <FeatureAdoption accountId={accountId} asOf={asOf} />
          </Section>
          <Section title="Support history" id="support-title">
            <SupportHistory accountId={accountId} asOf={asOf} />
          </Section>
        </div>
      ) : core.state === 'loading' ? (
        <p class="loading">Loading the account…</p>
      ) : null}
    </article>
  );
}
