import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  launchChromium,
  overflowsSideways,
  seriousViolations,
  signIn,
} from './browser-helpers.js';
import { startWorkspaceServer, type WorkspaceServer } from './workspace-server.js';

interface ListBody {
  accounts: {
    accountId: string;
    name: string | null;
    score: number;
    tier: string;
    plan: string | null;
    mrr: number | null;
  }[];
}
interface RiskBody {
  score: number;
  factors: { key: string; contribution: number }[];
}

/** Screenshots for the docs when TENURE_SCREENSHOTS names a folder (docs/screenshots). */
const SCREENSHOTS = process.env['TENURE_SCREENSHOTS'];
async function shoot(page: Page, name: string) {
  if (!SCREENSHOTS) return;
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

const DAY_MS = 86_400_000;

describe.skipIf(!chromiumAvailable)('the workspace in Chromium', () => {
  let server: WorkspaceServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const receiver: { requests: IncomingHttpHeaders[]; url: string; close: () => void } = {
    requests: [],
    url: '',
    close: () => {},
  };

  beforeAll(async () => {
    const hook = createServer((request, response) => {
      receiver.requests.push(request.headers);
      request.resume();
      response.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    receiver.url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/tenure-hook`;
    receiver.close = () => hook.close();
    [server, browser] = await Promise.all([startWorkspaceServer(), launchChromium()]);
    // Cut-offs low enough that the generated decaying accounts are critical.
    await server.api('/v1/settings', {
      method: 'PUT',
      body: { tierCutoffs: { watch: 20, at_risk: 35, critical: 50 } },
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    receiver.close();
  });

  it('refuses a wrong password, and a wrong email, with the same words', async () => {
    await page.goto(`${server.origin}/`);
    // The app draws the sign-in after its first call (the session) answers: wait for it to be
    // visible, rather than ask once right after the navigation (that raced on a loaded machine).
    await page.getByRole('heading', { name: 'Sign in to Tenure' }).waitFor({ state: 'visible' });
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'sign-in');
    const refusals: string[] = [];
    for (const member of [
      { email: server.admin.email, password: 'not the password' },
      { email: 'nobody@example.com', password: server.admin.password },
    ]) {
      await signIn(page, member);
      const alert = page.getByRole('alert');
      await alert.waitFor();
      refusals.push((await alert.textContent()) ?? '');
    }
    expect(refusals).toEqual(['Wrong email or password.', 'Wrong email or password.']);
  });

  it('signs in by keyboard and shows the critical accounts first, as the API ranks them', async () => {
    await page.getByLabel('Email').fill(server.admin.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(server.admin.password);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=accounts-list][data-state=ready] tbody tr').first().waitFor();
    const api = await server.api<ListBody>('/v1/accounts?sort=risk&limit=50');
    const rows = await page.locator('.accounts-table tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        name: tr.querySelector('th a')?.textContent,
        score: Number(tr.querySelector('.score')?.textContent),
        tier: tr.getAttribute('data-tier'),
      })),
    );
    expect(rows).toEqual(
      api.accounts.map((a) => ({ name: a.name ?? a.accountId, score: a.score, tier: a.tier })),
    );
    expect(rows[0]?.tier).toBe('critical');
    await page.locator('[data-testid=mrr-critical]').filter({ hasNotText: '…' }).waitFor();
    // Revenue at risk is the whole book's, as the API counts every account by tier.
    const book = await server.api<ListBody>('/v1/accounts?status=active&limit=500');
    const dollars = (value: number) => `$${Math.round(value).toLocaleString('en-US')}`;
    for (const tier of ['healthy', 'watch', 'at_risk', 'critical']) {
      const mrr = book.accounts
        .filter((account) => account.tier === tier)
        .reduce((total, account) => total + (account.mrr ?? 0), 0);
      expect(await page.getByTestId(`mrr-${tier}`).textContent(), tier).toBe(dollars(mrr));
    }
    // The plan choices are the plans the accounts are on.
    const plans = [...new Set(book.accounts.flatMap((account) => account.plan ?? []))].sort();
    await expect
      .poll(() => page.getByLabel('Plan').locator('option').allTextContents())
      .toEqual(['All plans', ...plans]);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'accounts');
  });

  it('searches names on the server, with the pages and filters', async () => {
    const all = await server.api<ListBody>('/v1/accounts?sort=risk&limit=500');
    const fragment = (all.accounts[0]!.name ?? all.accounts[0]!.accountId).slice(1, 4);
    await page.getByLabel('Search').fill(fragment.toUpperCase());
    const found = await server.api<ListBody>(
      `/v1/accounts?sort=risk&limit=50&q=${encodeURIComponent(fragment)}`,
    );
    expect(found.accounts.length).toBeGreaterThan(0);
    await expect
      .poll(() =>
        page
          .locator('[data-testid=accounts-list][data-state=ready] .accounts-table tbody tr th a')
          .allTextContents(),
      )
      .toEqual(found.accounts.map((a) => a.name ?? a.accountId));
    await page.getByLabel('Search').fill('no account is called this');
    await page.getByText("No account's name or id contains").waitFor();
    await page.getByLabel('Search').fill('');
    await page.waitForURL(/#\/accounts$/);
    await page.locator('[data-testid=accounts-list][data-state=ready] tbody tr').first().waitFor();
  });

  it('opens an account and draws its charts from the API numbers', async () => {
    const first = (await server.api<ListBody>('/v1/accounts?sort=risk&limit=1')).accounts[0]!;
    // Keyboard: focus the first account link and follow it.
    await page.locator('.accounts-table tbody tr th a').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/#/accounts/${first.accountId}`);
    await page.locator('[data-testid=score-chart] canvas').first().waitFor();
    await page.locator('[data-testid=activity-chart] canvas').first().waitFor();

    const risk = await server.api<RiskBody>(`/v1/accounts/${first.accountId}/risk`);
    expect(await page.getByTestId('risk-score').textContent()).toBe(String(risk.score));
    const bars = await page
      .locator('[data-testid=factor-bars] li')
      .evaluateAll((items) =>
        items.map((li) => [li.getAttribute('data-factor'), Number(li.getAttribute('data-points'))]),
      );
    expect(bars).toEqual(
      risk.factors.filter((f) => f.contribution !== 0).map((f) => [f.key, f.contribution]),
    );
    const history = await server.api<{ snapshots: { score: number }[] }>(
      `/v1/accounts/${first.accountId}/risk/history?days=90`,
    );
    const drawn = JSON.parse(
      (await page.getByTestId('score-chart').getAttribute('data-points')) ?? '[]',
    ) as number[][];
    expect(drawn[0]).toEqual([...history.snapshots.map((s) => s.score), risk.score]);
    const timeline = await server.api<{ buckets: { logins: number }[] }>(
      `/v1/accounts/${first.accountId}/engagement?interval=week`,
    );
    const activity = JSON.parse(
      (await page.getByTestId('activity-chart').getAttribute('data-points')) ?? '[]',
    ) as number[][];
    expect(activity[1]).toEqual(timeline.buckets.map((b) => b.logins));
    // Feature adoption beside the plan's peers, as the API counts them.
    const adoption = await server.api<{ keyFeatures: { peerShare: number | null }[] }>(
      `/v1/accounts/${first.accountId}/features`,
    );
    await page.getByTestId('feature-peers').waitFor();
    expect(
      await page
        .locator('[data-peer-share]')
        .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-peer-share'))),
    ).toEqual(adoption.keyFeatures.map((f) => (f.peerShare === null ? '' : String(f.peerShare))));
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'account');
  });

  it('moves asOf back and shows the score the account had then', async () => {
    const url = page.url();
    const accountId = decodeURIComponent(url.split('/accounts/')[1]!.split('?')[0]!);
    const before = await page.getByTestId('risk-score').textContent();
    const day = new Date(Date.now() - 60 * DAY_MS).toISOString().slice(0, 10);
    await page.getByLabel('As of').fill(day);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(`**asOf=${day}`);
    const then = await server.api<RiskBody>(
      `/v1/accounts/${accountId}/risk?asOf=${day}T23:59:59.999Z`,
    );
    await page.locator('article.account[data-state=ready]').waitFor();
    await expect.poll(() => page.getByTestId('risk-score').textContent()).toBe(String(then.score));
    expect(String(then.score)).not.toBe(before);
    await page
      .getByRole('status')
      .filter({ hasText: `as it was on ${day}` })
      .waitFor();
  });

  it('shows a clear page for an account that does not exist', async () => {
    await page.goto(`${server.origin}/#/accounts/no-such-account`);
    await page.getByRole('heading', { name: 'Account not found' }).waitFor();
    expect(await page.getByText('no-such-account').count()).toBeGreaterThan(0);
  });

  it('shows churn metrics with the heatmap, and switches it to revenue', async () => {
    await page.getByRole('link', { name: 'Churn and retention' }).click();
    await page.locator('[data-testid=churn-chart] canvas').first().waitFor();
    const churn = await server.api<{ periods: unknown[] }>('/v1/metrics/churn?period=month');
    expect(await page.locator('[data-testid=churn-table] tbody tr').count()).toBe(
      churn.periods.length,
    );
    const retention = await server.api<{ cohorts: unknown[] }>(
      '/v1/metrics/retention?cohort=month&basis=logo',
    );
    await page.locator('[data-testid=retention-heatmap][data-basis=logo]').waitFor();
    expect(await page.locator('[data-testid=retention-heatmap] tbody tr').count()).toBe(
      Math.min(24, retention.cohorts.length),
    );
    await page.getByRole('button', { name: 'How these are counted' }).click();
    await page.getByRole('dialog').getByText('Customers at start (S)').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('radio', { name: 'Revenue' }).check();
    await page.locator('[data-testid=retention-heatmap][data-basis=revenue]').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'churn');
  });

  it('creates a webhook, tests it, and the receiver gets a signed request', async () => {
    await page.getByRole('link', { name: 'Early warnings' }).click();
    await page.getByLabel('Endpoint URL').fill(receiver.url);
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await page.getByText('Signing secret (shown once)').waitFor();
    await page.getByRole('button', { name: 'Send test' }).click();
    const result = page.getByTestId('webhook-test-result');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/^Delivered: HTTP 200/);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]?.['tenure-signature']).toBeTruthy();
    const hooks = await server.api<{ webhooks: { url: string }[] }>('/v1/webhooks');
    expect(hooks.webhooks.map((h) => h.url)).toEqual([receiver.url]);
  });

  it('shows the transitions across accounts, newest first, each leading to its account', async () => {
    // Detection's first look sets each account's baseline; two accounts then reach a
    // milestone, which the next detection finds (no webhook needed for the feed).
    await server.api('/v1/alerts/detect', { method: 'POST' });
    const { accounts } = await server.api<ListBody>('/v1/accounts?sort=risk&limit=2');
    await server.ingest(
      accounts.map((account, i) => ({
        type: 'track',
        messageId: `e2e-milestone-${i}`,
        userId: `e2e-${account.accountId}`,
        event: 'milestone_reached',
        properties: { milestone: 'first_report_shared' },
        context: { groupId: account.accountId },
      })),
    );
    const detected = await server.api<{ alerts: number }>('/v1/alerts/detect', {
      method: 'POST',
    });
    expect(detected.alerts).toBeGreaterThanOrEqual(2);
    const feed = await server.api<{ alerts: { account: { id: string } }[] }>('/v1/alerts');

    await page.reload();
    const rows = page.locator('[data-testid=warnings-feed] li');
    await rows.first().waitFor();
    expect(
      await rows.evaluateAll((items) => items.map((li) => li.getAttribute('data-account'))),
    ).toEqual(feed.alerts.map((alert) => alert.account.id));
    expect(await rows.first().textContent()).toMatch(/reached a milestone: first_report_shared/);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'warnings');

    await page.getByRole('combobox', { name: 'Type' }).selectOption('tier_worsened');
    await page.getByText('No transitions detected yet.').waitFor();
    await page.getByRole('combobox', { name: 'Type' }).selectOption('');
    await rows.first().locator('a').click();
    await page.waitForURL(`**/#/accounts/${encodeURIComponent(feed.alerts[0]!.account.id)}`);
    await page.locator('article.account[data-state=ready]').waitFor();
    await page.getByRole('link', { name: 'Early warnings' }).click();
  });

  it('takes screenshots of the settings, model and keys pages', async () => {
    for (const [link, name] of [
      ['Settings', 'settings'],
      ['Model', 'model'],
      ['API keys', 'keys'],
    ] as const) {
      await page.getByRole('link', { name: link, exact: true }).click();
      await page.locator('main h1').waitFor();
      await page.locator('main .loading').waitFor({ state: 'detached' });
      expect(await seriousViolations(page), name).toEqual([]);
      await shoot(page, name);
    }
  });

  it('saves tiers by churn probability from the settings page', async () => {
    const before = await server.api<object>('/v1/settings');
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.locator('main .loading').waitFor({ state: 'detached' });
    await page.getByLabel('Tiers follow').selectOption('probability');
    await page.getByLabel('Critical from (0–1)').fill('0.4');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect
      .poll(() => server.api<object>('/v1/settings'))
      .toMatchObject({ tierBy: 'probability', probabilityCutoffs: { critical: 0.4 } });
    await server.api('/v1/settings', { method: 'PUT', body: before });
  });

  it('sends an expired session to sign-in, then back to the page asked for', async () => {
    await context.clearCookies();
    await page.goto(`${server.origin}/#/churn?period=quarter`);
    await page.getByRole('heading', { name: 'Sign in to Tenure' }).waitFor();
    await signIn(page, server.admin);
    await page.waitForURL('**/#/churn?period=quarter');
    await page.getByRole('heading', { name: 'Churn and retention' }).waitFor();
  });

  it('signs out: the session ends on the server too', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Tenure' }).waitFor();
    const session = await page.evaluate(() =>
      fetch('/v1/auth/session').then((response) => response.status),
    );
    expect(session).toBe(401);
    await page.goto(`${server.origin}/#/warnings`);
    await page.getByRole('heading', { name: 'Sign in to Tenure' }).waitFor();
    await signIn(page, server.admin);
    await page.getByRole('heading', { name: 'Early warnings' }).waitFor();
  });

  it('shows a retrying banner while the server is down, and recovers', async () => {
    await page.route('**/v1/**', (route) => route.abort('connectionrefused'));
    await page.goto(`${server.origin}/#/accounts`);
    const banner = page.getByText('The Tenure server cannot be reached');
    await banner.waitFor();
    await page.unroute('**/v1/**');
    await banner.waitFor({ state: 'detached', timeout: 20_000 });
    await page.locator('[data-testid=accounts-list][data-state=ready] tbody tr').first().waitFor();
  });

  it('is usable at 375 px: no sideways scrolling, the sections reachable', async () => {
    const phone = await browser.newContext({ viewport: { width: 375, height: 740 } });
    const small = await phone.newPage();
    await small.goto(`${server.origin}/`);
    await signIn(small, server.admin);
    await small.locator('[data-testid=accounts-list][data-state=ready] tbody tr').first().waitFor();
    expect(await overflowsSideways(small)).toBe(false);
    await shoot(small, 'accounts-375px');
    await small.locator('.accounts-table tbody tr th a').first().click();
    await small.locator('[data-testid=score-chart] canvas').first().waitFor();
    expect(await overflowsSideways(small)).toBe(false);
    await small.getByRole('link', { name: 'Early warnings' }).click();
    await small.getByRole('heading', { name: 'Early warnings' }).waitFor();
    await phone.close();
  });

  it('refuses a viewer a settings change with a message, and nothing changes', async () => {
    const before = await server.api<{ inactivityDays: number }>('/v1/settings');
    const viewerContext = await browser.newContext();
    const viewer = await viewerContext.newPage();
    await viewer.goto(`${server.origin}/#/settings`);
    await signIn(viewer, server.viewer);
    await viewer.getByLabel('Inactivity threshold (days without a login)').fill('9');
    await viewer.getByRole('button', { name: 'Save settings' }).click();
    const message = viewer.getByTestId('settings-message');
    await message.waitFor();
    expect(await message.textContent()).toMatch(/viewer/);
    expect(await viewer.getByRole('alert').count()).toBeGreaterThan(0);
    expect(await server.api<{ inactivityDays: number }>('/v1/settings')).toEqual(before);
    await expect
      .poll(() => viewer.getByLabel('Inactivity threshold (days without a login)').inputValue())
      .toBe(String(before.inactivityDays));
    await viewerContext.close();
  });
});
