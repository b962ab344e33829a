import { fmtCount, fmtDate, fmtPercent, h } from './dom';
import type { Evaluation } from './queries';

/** Per-class precision/recall/F1 with support, then accuracy and macro-F1. */
export function perClassTable(evaluation: Evaluation): HTMLElement {
  return h('div', { class: 'table-scroll' },
    h('table', { class: 'data', dataset: { testid: 'per-class' } },
      h('thead', null, h('tr', null, h('th', null, 'Class'), h('th', { class: 'num' }, 'Precision'), h('th', { class: 'num' }, 'Recall'), h('th', { class: 'num' }, 'F1'), h('th', { class: 'num' }, 'Support'))),
      h('tbody', null, evaluation.perClass.map((c) =>
        h('tr', null, h('th', { scope: 'row' }, c.label), h('td', { class: 'num' }, fmtPercent(c.precision)), h('td', { class: 'num' }, fmtPercent(c.recall)),
          h('td', { class: 'num' }, fmtPercent(c.f1)), h('td', { class: 'num' }, fmtCount(c.support))))),
      h('tfoot', null,
        h('tr', null, h('th', { scope: 'row' }, 'Accuracy'), h('td', { class: 'num', colspan: 3 }, fmtPercent(evaluation.accuracy)), h('td', { class: 'num' }, fmtCount(evaluation.testImages))),
        h('tr', null, h('th', { scope: 'row' }, 'Macro F1'), h('td', { class: 'num', colspan: 3 }, fmtPercent(evaluation.macroF1)), h('td'))),
    ));
}

/**
 * The confusion matrix as a heatmap: rows are true labels, columns predicted.
 * Shading is by the row's share (recall), so small classes are as readable as
 * large ones; the count is printed in every cell, dark text on light cells and
 * white on dark ones.
 */
export function confusionHeatmap(evaluation: Evaluation): HTMLElement {
  const { labels, confusionMatrix } = evaluation;
  const rowTotals = confusionMatrix.map((row) => row.reduce((a, b) => a + b, 0));
  return h('div', { class: 'table-scroll' },
    h('table', { class: 'heatmap', dataset: { testid: 'confusion-matrix' }, 'aria-label': 'Confusion matrix: rows are true labels, columns predicted labels' },
      h('thead', null,
        h('tr', null, h('th', { class: 'corner' }, 'true ↓ / predicted →'), labels.map((label) => h('th', { scope: 'col' }, label)))),
      h('tbody', null, confusionMatrix.map((row, i) =>
        h('tr', null, h('th', { scope: 'row' }, labels[i]), row.map((count, j) => {
          const share = rowTotals[i] ? count / rowTotals[i] : 0;
          const diagonal = i === j;
          // Blue on the diagonal (right), red off it (wrong): lightness follows the share.
          const hue = diagonal ? 214 : 4;
          const lightness = 97 - share * 62;
          return h('td', {
            class: 'num',
            style: `background: hsl(${hue} ${diagonal ? 70 : 75}% ${lightness}%); color: ${lightness < 60 ? '#fff' : '#111'}`,
            dataset: { row: i, col: j, count },
            title: `true ${labels[i]}, predicted ${labels[j]}: ${count} (${fmtPercent(share)} of ${labels[i]})`,
          }, String(count));
        })))),
    ));
}

export function evaluationSection(evaluation: Evaluation | null, runActive: boolean): HTMLElement {
  if (!evaluation) {
    return h('section', { class: 'card', id: 'evaluation' }, h('h2', null, 'Evaluation'),
      h('p', { class: 'muted' }, runActive
        ? 'The evaluation on the TEST split appears here when training finishes.'
        : 'No evaluation recorded. A client can send its confusion matrix with recordEvaluation(runId, { labels, confusionMatrix }).'));
  }
  return h('section', { class: 'card', id: 'evaluation' },
    h('h2', null, 'Evaluation ', h('span', { class: 'muted small' }, `on ${evaluation.testImages} test images, ${fmtDate(evaluation.createdAt)}`)),
    h('div', { class: 'stats' },
      h('div', null, h('span', { class: 'stat-label' }, 'Accuracy'), h('span', { class: 'stat-value' }, fmtPercent(evaluation.accuracy))),
      h('div', null, h('span', { class: 'stat-label' }, 'Macro F1'), h('span', { class: 'stat-value' }, fmtPercent(evaluation.macroF1)))),
    h('div', { class: 'two-col' },
      h('div', null, h('h3', null, 'Per class'), perClassTable(evaluation)),
      h('div', null, h('h3', null, 'Confusion matrix'), confusionHeatmap(evaluation))));
}
