import type { ChurnPeriod, ChurnRates } from '../../api/api.types.js';
import { formatMoney, formatPercent } from '../../ui/format.js';

function Cells({ rates }: { rates: ChurnRates }) {
  return (
    <>
      <td class="num">{rates.customersAtStart}</td>
      <td class="num">{rates.new}</td>
      <td class="num">{rates.churned}</td>
      <td class="num">{formatPercent(rates.logoChurnRate)}</td>
      <td class="num">{formatMoney(rates.startMrr)}</td>
      <td class="num">{formatMoney(rates.churnedMrr)}</td>
      <td class="num">{formatPercent(rates.grossRevenueRetention)}</td>
      <td class="num">{formatPercent(rates.netRevenueRetention)}</td>
    </>
  );
}

/** The figures behind the chart, per period and, when grouped, per group within it. */
export function ChurnTable({ periods }: { periods: readonly ChurnPeriod[] }) {
  return (
    <div class="table-scroll">
      <table class="churn-table" data-testid="churn-table">
        <thead>
          <tr>
            <th scope="col">Period</th>
            <th scope="col">At start</th>
            <th scope="col">New</th>
            <th scope="col">Churned</th>
            <th scope="col">Logo churn</th>
            <th scope="col">Start MRR</th>
            <th scope="col">Churned MRR</th>
            <th scope="col">GRR</th>
            <th scope="col">NRR</th>
          </tr>
        </thead>
        <tbody>
          {[...periods].reverse().flatMap((period) => [
            <tr key={period.period} class="period-row">
              <th scope="row">
                {period.period}
                {period.partial ? <small> (so far)</small> : null}
              </th>
              <Cells rates={period} />
            </tr>,
            ...(period.groups ?? []).map((group) => (
              <tr key={`${period.period}-${group.group}`} class="group-row">
                <th scope="row">
                  <span class="indent">{group.group}</span>
                </th>
                <Cells rates={group} />
              </tr>
            )),
          ])}
        </tbody>
      </table>
    </div>
  );
}
