import { live, request, type LiveState } from '../api';
import { alignSeries, frameThrottle, LineChart, PALETTE } from '../charts';
import { fmtDate, fmtNumber, fmtPercent, h, link, notice, replace, statusBadge } from '../dom';
import { DEPLOYMENT_EVENTS, DEPLOYMENT_QUERY, UNDEPLOY, type AlertRow, type DeploymentDetail, type MonitorWindowRow } from '../deployment-queries';
import { errorNotice, type Page } from './page';

/** One chart per window metric, with the deployment's alert thresholds drawn as dashed lines. */
const METRICS = [
  { metric: 'PREDICTED_CLASS_PSI', title: 'Predicted-class PSI', read: (w: MonitorWindowRow) => w.predictedClassPsi },
  { metric: 'INPUT_DRIFT', title: 'Input drift (KS of mean intensity)', read: (w: MonitorWindowRow) => w.inputDrift },
  { metric: 'MEAN_CONFIDENCE', title: 'Mean confidence', read: (w: MonitorWindowRow) => w.meanConfidence },
  { metric: 'MACRO_F1', title: 'Macro-F1 (where truth is known)', read: (w: MonitorWindowRow) => w.evaluation?.macroF1 ?? null },
] as const;
const RECENT_PREDICTIONS = 20;

export const deploymentPage: Page = (outlet, params) => {
  const id = params.id;
  let stopLive: (() => void) | null = null;
  const charts: LineChart[] = [];
  replace(outlet, notice('loading', 'Loading the deployment…'));

  const load = async () => (await request(DEPLOYMENT_QUERY, { id, windows: 500, predictions: RECENT_PREDICTIONS })).deployment;
  void (async () => {
    let deployment: DeploymentDetail | null;
    try {
      deployment = await load();
    } catch (error) {
      replace(outlet, errorNotice(error, () => location.reload()));
      return;
    }
    if (!deployment) {
      replace(outlet, notice('empty', `There is no deployment with id ${id}.`, link('/runs', 'Back to the runs list')));
      return;
    }
    render(deployment);
  })();

  function render(d: DeploymentDetail) {
    const windows = new Map(d.windows.map((w) => [w.index, w]));
    let alerts: AlertRow[] = [...d.alerts];
    const statusSlot = h('span', { dataset: { testid: 'deployment-status' } }, statusBadge(d.status));
    const errorSlot = h('div', null, d.error ? notice('error', d.error) : null);
    const connection = h('span', { class: 'live-state', dataset: { testid: 'live-state' } }, 'connecting…');
    const cost = h('span', { dataset: { testid: 'running-cost' } }, costText(d));
    const alertList = h('ul', { class: 'alerts', dataset: { testid: 'alerts' } });
    const undeployButton = h('button', { class: 'danger', type: 'button', hidden: !['STARTING', 'ACTIVE'].includes(d.status), onclick: () => void undeploy() }, 'Undeploy');

    for (const spec of METRICS) {
      const thresholds = d.alertRules.filter((r) => r.metric === spec.metric);
      charts.push(new LineChart({
        title: spec.title, xLabel: 'window', integerX: true, emptyText: `No window closed yet: one closes every ${d.windowSize} predictions.`,
        series: [{ label: 'value', color: PALETTE[0] }, ...thresholds.map((r, i) => ({ label: `alert ${r.above != null ? '>' : '<'} ${r.above ?? r.below}`, color: PALETTE[4 + i], dash: [6, 4] }))],
      }));
    }
    const drawCharts = frameThrottle(() => {
      const rows = [...windows.values()].sort((a, b) => a.index - b.index);
      METRICS.forEach((spec, c) => {
        const thresholds = d.alertRules.filter((r) => r.metric === spec.metric).map((r) => (r.above ?? r.below)!);
        const value = new Map(rows.flatMap((w) => { const v = spec.read(w); return v == null ? [] : [[w.index, v] as [number, number]]; }));
        const lines = thresholds.map((t) => new Map(rows.map((w) => [w.index, t] as [number, number])));
        charts[c].setData(alignSeries([value, ...lines]), `${value.size} window(s)`);
      });
    });
    const drawAlerts = () => replace(alertList, ...(alerts.length
      ? [...alerts].reverse().map((a) => h('li', { class: 'alert-row' }, h('strong', null, a.metric), ` in window ${a.window}: ${fmtNumber(a.value)} (threshold ${fmtNumber(a.threshold)}) `, h('time', { datetime: a.createdAt }, fmtDate(a.createdAt))))
      : [h('li', { class: 'muted' }, 'No alert so far.')]));

    replace(outlet,
      h('header', { class: 'page-header' },
        h('div', null,
          h('p', { class: 'crumbs' }, link(`/runs/${d.run.id}`, `Run ${d.run.name}`), ' / deployment'),
          h('h1', null, d.name, ' ', statusSlot),
          h('dl', { class: 'meta' },
            meta('Run', link(`/runs/${d.run.id}`, d.run.name)),
            meta('Dataset', d.run.dataset ? link(`/datasets#${d.run.dataset.id}`, d.run.dataset.name) : '–'),
            meta('Labels', d.labels.join(', ')), meta('Window', `${d.windowSize} predictions`),
            meta('Active since', fmtDate(d.activeSince)), meta('Running cost', cost), meta('Live', connection))),
        h('div', { class: 'actions' }, undeployButton)),
      errorSlot,
      h('section', { class: 'card' }, h('h2', null, 'Monitor windows'), h('div', { class: 'chart-grid' }, ...charts.map((c) => c.element))),
      h('section', { class: 'card', id: 'alerts' }, h('h2', null, 'Alerts'), alertList),
      h('section', { class: 'card' }, h('h2', null, `Recent predictions (${d.predictions.totalCount} in all)`), predictionsTable(d)));
    drawCharts();
    drawAlerts();

    stopLive = live({
      query: DEPLOYMENT_EVENTS,
      variables: () => ({ id }),
      onState: (state: LiveState) => {
        connection.textContent = state === 'live' ? 'live' : `${state}…`;
        connection.dataset.state = state;
      },
      onData: ({ deploymentEvents: event }) => {
        if (event.__typename === 'WindowClosed') {
          windows.set(event.window.index, event.window);
          drawCharts();
        } else if (event.__typename === 'AlertRaised') {
          if (!alerts.some((a) => a.id === event.alert.id)) alerts = [...alerts, event.alert];
          drawAlerts();
        } else if (event.__typename === 'DeploymentStatusChanged') {
          replace(statusSlot, statusBadge(event.status));
          replace(errorSlot, event.error ? notice('error', event.error) : null);
          undeployButton.hidden = !['STARTING', 'ACTIVE'].includes(event.status);
        }
      },
    });

    async function undeploy() {
      undeployButton.disabled = true;
      try {
        const { undeploy: done } = await request(UNDEPLOY, { id });
        replace(statusSlot, statusBadge(done.status));
        undeployButton.hidden = true;
      } catch (error) {
        replace(errorSlot, errorNotice(error));
        undeployButton.disabled = false;
      }
    }
  }

  return () => {
    stopLive?.();
    for (const chart of charts) chart.destroy();
  };
};

function costText(d: DeploymentDetail): string {
  if (d.costPerHourUsd == null) return 'none (served in this server\'s process)';
  return `$${(d.runningCostUsd ?? 0).toFixed(2)} so far at $${d.costPerHourUsd.toFixed(2)}/hour`;
}

function predictionsTable(d: DeploymentDetail): HTMLElement {
  if (d.predictions.edges.length === 0) return notice('empty', 'No prediction yet: send images with the predict mutation.');
  return h('div', { class: 'table-scroll' }, h('table', { class: 'data', dataset: { testid: 'predictions' } },
    h('thead', null, h('tr', null, h('th', null, 'Image'), h('th', null, 'Label'), h('th', null, 'Confidence'), h('th', null, 'Scores'), h('th', null, 'Truth'), h('th', null, 'When'))),
    h('tbody', null, ...d.predictions.edges.map(({ node: p }) => h('tr', null,
      h('td', { class: 'small' }, p.uri ? p.uri.split('/').slice(-2).join('/') : 'inline bytes'),
      h('td', null, p.label), h('td', null, fmtPercent(p.confidence)),
      h('td', { class: 'small' }, p.scores.map((s) => `${s.label} ${fmtPercent(s.score)}`).join(' · ')),
      h('td', null, p.truth ?? '–'), h('td', null, fmtDate(p.createdAt)))))));
}

function meta(label: string, value: Node | string) {
  return h('div', null, h('dt', null, label), h('dd', null, value));
}
