import { API_METHODS } from './api-methods.js';

/**
 * The copy-paste snippet for a page's `<head>`: defines a stand-in `tenure` that records calls
 * (with the time they were made) until the script-tag build loads, which replays them. The page
 * never waits for the script, and no early call is lost.
 *
 * @param scriptUrl Where `tenure.global.js` is served.
 * @example
 * const html = `<script>${snippet('https://cdn.example.com/tenure.global.js')}
 * tenure.init({ writeKey: 'tw_...', host: 'https://tenure.example.com' });</script>`;
 */
export function snippet(scriptUrl: string): string {
  const methods = ['init', ...API_METHODS].join(' ');
  return (
    '((w,d)=>{if(w.tenure)return;const t={q:[]};w.tenure=t;' +
    `for(const m of "${methods}".split(" "))t[m]=(...a)=>{t.q.push([m,a,Date.now()])};` +
    `const s=d.createElement("script");s.async=true;s.src=${JSON.stringify(scriptUrl)};` +
    'd.head.appendChild(s)})(window,document);'
  );
}
