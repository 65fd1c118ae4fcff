import type { RetentionReport } from '../../api/api.types.js';
import { formatMoney } from '../../ui/format.js';

/** White at 0%, deep blue at 100%, text switching to white where the cell is dark. */
function cellStyle(share: number) {
  const lightness = 97 - share * 60;
  return {
    background: `hsl(212 70% ${lightness}%)`,
    color: lightness < 60 ? '#fff' : '#111',
  };
}

/** Cohorts by start month (rows) against months since start (columns): the share kept. */
export function RetentionHeatmap({ report }: { report: RetentionReport }) {
  const width = Math.min(24, Math.max(0, ...report.cohorts.map((c) => c.retention.length)));
  const cohorts = report.cohorts.slice(-24);
  return (
    <div class="table-scroll">
      <table class="heatmap" data-testid="retention-heatmap" data-basis={report.basis}>
        <caption class="visually-hidden">
          {report.basis === 'logo' ? 'Share of accounts' : 'Share of starting MRR'} kept n months
          after the cohort started
        </caption>
        <thead>
          <tr>
            <th scope="col">Cohort</th>
            <th scope="col">{report.basis === 'logo' ? 'Accounts' : 'Start MRR'}</th>
            {Array.from({ length: width }, (_, month) => (
              <th scope="col" key={month}>
                {month}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {cohorts.map((cohort) => (
            <tr key={cohort.cohort}>
              <th scope="row">{cohort.cohort}</th>
              <td class="num">
                {report.basis === 'logo' ? cohort.accounts : formatMoney(cohort.startMrr)}
              </td>
              {Array.from({ length: width }, (_, month) => {
                const share = cohort.retention[month];
                return share === null || share === undefined ? (
                  <td key={month} class="empty-cell" />
                ) : (
                  <td key={month} class="num heat" style={cellStyle(share)}>
                    {Math.round(share * 100)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
