import { request } from '../api';
import { alignSeries, LineChart, PALETTE } from '../charts';
import { fmtDuration, fmtPercent, fmtUsd, h, link, notice, replace, statusBadge } from '../dom';
import { navigate } from '../router';
import { COMPARE_QUERY, RUNS_QUERY, type ClassMetrics, type Comparison, type RunSummary } from '../queries';
import { errorNotice, type Page } from './page';

const METRICS = ['precision', 'recall', 'f1'] as const satisfies readonly (keyof ClassMetrics)[];
const METRIC_TITLES = { precision: 'Precision', recall: 'Recall', f1: 'F1' };

/** Compare: pick runs, then the per-label precision/recall/F1 table with each row's best marked, and curves overlaid. */
export const comparePage: Page = (outlet, _params, search) => {
  const ids = (search.get('ids') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const charts: LineChart[] = [];
  const picker = h('section', { class: 'card' }, h('p', { class: 'muted' }, 'Loading runs…'));
  const result = h('div');
  replace(outlet, h('header', { class: 'page-header' }, h('h1', null, 'Compare runs')), picker, result);

  void loadPicker();
  if (ids.length) void loadComparison();
  else replace(result, notice('empty', 'Pick two or more runs above (ones with an evaluation give the table), then press Compare.'));

  async function loadPicker() {
    let runs: RunSummary[];
    try {
      runs = (await request(RUNS_QUERY, { first: 200 })).runs.edges.map((e) => e.node);
    } catch (error) {
      replace(picker, errorNotice(error, () => void loadPicker()));
      return;
    }
    if (runs.length === 0) {
      replace(picker, notice('empty', 'There are no runs to compare yet.', link('/runs', 'Start a training'), ' or report runs from a script first.'));
      return;
    }
    const form = h('form', { class: 'picker', onsubmit: (e: Event) => {
      e.preventDefault();
      const chosen = [...form.querySelectorAll<HTMLInputElement>('input[name=run]:checked')].map((i) => i.value);
      navigate(`/compare?ids=${chosen.join(',')}`);
    } },
      h('div', { class: 'picker-list' }, runs.map((run) => h('label', { class: 'pick' },
        h('input', { type: 'checkbox', name: 'run', value: run.id, checked: ids.includes(run.id) }), ' ', run.name, ' ', statusBadge(run.status), h('span', { class: 'muted small' }, ` ${run.trainer}`)))),
      h('button', { type: 'submit', class: 'primary' }, 'Compare'));
    replace(picker, h('details', { open: ids.length === 0 }, h('summary', null, `Runs (${runs.length} most recent)`), form));
  }

  async function loadComparison() {
    replace(result, notice('loading', 'Comparing…'));
    let comparison: Comparison;
    try {
      comparison = (await request(COMPARE_QUERY, { ids })).compareRuns;
    } catch (error) {
      replace(result, errorNotice(error, () => void loadComparison()));
      return;
    }
    const withEvaluation = comparison.runs.filter((r) => r.evaluation);
    replace(result,
      comparison.testSetWarning ? h('div', { class: 'notice notice-warning', role: 'alert', dataset: { testid: 'test-set-warning' } }, h('p', null, h('strong', null, 'Different TEST sets. '), comparison.testSetWarning)) : null,
      h('section', { class: 'card' }, h('h2', null, 'Per-label precision, recall and F1'),
        withEvaluation.length === 0
          ? notice('empty', 'None of these runs has an evaluation yet. Finished trainings record one on the TEST split; an external run can send its confusion matrix with recordEvaluation.')
          : [h('p', { class: 'muted small' }, '★ marks the best value of each row (ties are all marked). Runs without an evaluation show –.'), comparisonTable(comparison)]),
      costSection(comparison),
      curvesSection(comparison));
  }

  function curvesSection(comparison: Comparison) {
    const series = comparison.runs.map((run, i) => ({ label: run.name, color: runColor(i), dash: i >= PALETTE.length ? [6, 4] : undefined }));
    const valLoss = new LineChart({ title: 'Validation loss per epoch', xLabel: 'epoch', integerX: true, emptyText: 'These runs logged no validation loss.', series });
    const valAccuracy = new LineChart({ title: 'Validation accuracy per epoch', xLabel: 'epoch', integerX: true, emptyText: 'These runs logged no validation accuracy.', series });
    charts.push(valLoss, valAccuracy);
    const column = (field: 'valLoss' | 'valAccuracy') => alignSeries(comparison.runs.map((run) =>
      new Map(run.epochs.flatMap((e, i) => (e[field] === null ? [] : [[i + 1, e[field] as number]])))));
    const section = h('section', { class: 'card' }, h('h2', null, 'Curves'), h('div', { class: 'chart-grid' }, valLoss.element, valAccuracy.element));
    // Drawn once the charts are in the page, so they take its width.
    requestAnimationFrame(() => {
      valLoss.setData(column('valLoss'));
      valAccuracy.setData(column('valAccuracy'));
    });
    return section;
  }

  return () => charts.forEach((c) => c.destroy());
};

/** Run i's colour in every chart and table of the page. */
const runColor = (i: number) => PALETTE[i % PALETTE.length];

/** Time, engine or service, and cost beside the scores: the study's AutoML-against-CNN table. */
function costSection(comparison: Comparison): HTMLElement {
  const runs = new Map(comparison.runs.map((run, i) => [run.id, { run, i }]));
  return h('section', { class: 'card' }, h('h2', null, 'Time and cost'),
    h('div', { class: 'table-scroll' }, h('table', { class: 'data costs', dataset: { testid: 'costs' } },
      h('thead', null, h('tr', null, h('th', null, 'Run'), h('th', null, 'Trained on'), h('th', { class: 'num' }, 'Macro F1'), h('th', { class: 'num' }, 'Training time'),
        h('th', { class: 'num' }, 'Billed time'), h('th', { class: 'num' }, 'Cost'), h('th', null, 'How the cost is reckoned'))),
      h('tbody', null, comparison.costs.map((cost) => {
        const { run, i } = runs.get(cost.runId)!;
        const macro = comparison.rows.find((r) => r.label === 'macro')?.cells[i];
        return h('tr', { dataset: { run: run.id } },
          h('th', { scope: 'row' }, h('span', { class: 'swatch', style: `background: ${runColor(i)}` }), link(`/runs/${run.id}`, run.name)),
          h('td', null, `${run.trainer}${cost.engine ? ` · ${cost.engine}` : ''}`),
          h('td', { class: 'num' }, fmtPercent(macro?.f1)),
          h('td', { class: 'num', dataset: { field: 'time' } }, fmtDuration(cost.trainingSeconds === null ? null : cost.trainingSeconds * 1000)),
          h('td', { class: 'num' }, fmtDuration(cost.billedTrainingSeconds === null ? null : cost.billedTrainingSeconds * 1000)),
          h('td', { class: 'num', dataset: { field: 'cost' } }, fmtUsd(cost.estimatedCostUsd)),
          h('td', { class: 'basis muted small' }, cost.costBasis));
      })))));
}

function comparisonTable(comparison: Comparison): HTMLElement {
  const runs = comparison.runs;
  return h('div', { class: 'table-scroll' }, h('table', { class: 'data compare', dataset: { testid: 'compare' } },
    h('thead', null,
      h('tr', null, h('th', { rowspan: 2, class: 'label-head' }, 'Label'), runs.map((run, i) => h('th', { colspan: 3, class: 'run-head' },
        h('span', { class: 'swatch', style: `background: ${runColor(i)}` }), link(`/runs/${run.id}`, run.name),
        h('div', { class: 'muted small' }, `${run.trainer}${run.evaluation ? ` · accuracy ${fmtPercent(run.evaluation.accuracy)}` : ' · no evaluation'}`),
        h('div', { class: 'muted small' }, run.dataset ? `TEST of ${run.dataset.name}` : 'no dataset')))),
      h('tr', null, runs.map(() => METRICS.map((m) => h('th', { class: 'num' }, METRIC_TITLES[m]))))),
    h('tbody', null, comparison.rows.map((row) => {
      const bestOf = Object.fromEntries(METRICS.map((m) => [m, Math.max(...row.cells.map((c) => (c ? c[m] : -Infinity)))]));
      return h('tr', { class: row.label === 'macro' ? 'macro' : '', dataset: { label: row.label } },
        h('th', { scope: 'row' }, row.label === 'macro' ? 'macro average' : row.label),
        row.cells.map((cell, i) => METRICS.map((m) => {
          const isBest = cell !== null && runs.filter((_, j) => row.cells[j]).length > 1 && cell[m] === bestOf[m];
          return h('td', { class: `num${isBest ? ' best' : ''}`, dataset: { run: runs[i].id, metric: m, best: isBest ? 1 : 0 }, title: isBest ? 'best of this row' : null },
            cell ? fmtPercent(cell[m]) : '–', isBest ? h('span', { class: 'star', 'aria-label': 'best' }, ' ★') : null);
        })));
    }))));
}
