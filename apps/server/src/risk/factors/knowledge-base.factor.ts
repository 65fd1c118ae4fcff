import { activityToday, beforeToday, plural, type RiskFactorDefinition } from './factor.js';

/**
 * Knowledge-base use in 90 days. Little use of the knowledge base is an early-warning signal in
 * the research: customers who help themselves are invested in the product. A weak signal on
 * its own (small accounts rarely read docs), so 4 points for none, and regular readers
 * (3+ articles) get 2 points off.
 */
export const knowledgeBaseFactor: RiskFactorDefinition = {
  key: 'kb_usage',
  weight: 4,
  read(features) {
    const { kbViews90 } = features;
    const today = activityToday(features).kbViews;
    let message =
      kbViews90 === 0
        ? `No knowledge-base article viewed ${beforeToday(90)}`
        : `${plural(kbViews90, 'knowledge-base article view')} ${beforeToday(90)}`;
    if (today > 0) {
      message =
        kbViews90 === 0
          ? `${plural(today, 'knowledge-base article view')} today (none ${beforeToday(90)}, which the score counts)`
          : `${message}, and ${today} today`;
    }
    return {
      value: kbViews90,
      baseline: 3,
      severity: kbViews90 === 0 ? 1 : kbViews90 >= 3 ? -0.5 : 0,
      message,
    };
  },
};
