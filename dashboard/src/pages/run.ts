import { ApiError, fetchObjectUrl, request, type LiveState } from '../api';
import { alignSeries, frameThrottle, LineChart, PALETTE } from '../charts';
import { fmtBytes, fmtDate, fmtDuration, fmtLearningRate, fmtLoss, fmtPercent, h, link, notice, plural, replace, runDuration, statusBadge } from '../dom';
import { evaluationSection } from '../evaluation-view';
import { CANCEL_RUN, isActive, RUN_QUERY, type Epoch, type RunDetail, type RunNote, type RunStatus } from '../queries';
import { RunLiveData } from '../run-live';
import { errorNotice, type Page } from './page';
import { DEPLOY } from '../deployment-queries';
import { navigate } from '../router';

/** Metric keys shown first, in this order; any other key follows alphabetically. */
const KNOWN_KEYS = ['batch_loss', 'learning_rate'];
const KEY_TITLES: Record<string, string> = { batch_loss: 'Batch loss', learning_rate: 'Learning rate', images_per_second: 'Images per second' };
/** Metrics a trainer logs once per epoch at step 0, 1, …: drawn at epoch step + 1, like the epoch charts, so all start at epoch 1. */
const PER_EPOCH_KEYS = ['learning_rate', 'images_per_second'];
/** Metrics that span decades: drawn on a log scale first. */
const LOG_KEYS = ['learning_rate'];

/** Epoch n on the x axis: its position across phases (train, then finetune), from 1. */
function epochColumns(epochs: Epoch[], fields: (keyof Epoch)[]) {
  return alignSeries(fields.map((field) => new Map(epochs.flatMap((e, i) => (typeof e[field] === 'number' ? [[i + 1, e[field] as number]] : [])))));
}

export const runPage: Page = (outlet, params) => {
  const runId = params.id;
  let liveData: RunLiveData | null = null;
  let ticker: ReturnType<typeof setInterval> | undefined;
  const charts: LineChart[] = [];
  replace(outlet, notice('loading', 'Loading the run…'));

  void (async () => {
    let run: RunDetail | null;
    try {
      run = (await request(RUN_QUERY, { id: runId })).run;
    } catch (error) {
      replace(outlet, errorNotice(error, () => location.reload()));
      return;
    }
    if (!run) {
      replace(outlet, notice('empty', `There is no run with id ${runId}.`, link('/runs', 'Back to the runs list'), ' to pick one.'));
      return;
    }
    render(run);
  })();

  function render(run: RunDetail) {
    const statusSlot = h('span', null, statusBadge(run.status));
    const errorSlot = h('div');
    const connection = h('span', { class: 'live-state', dataset: { testid: 'live-state' } }, 'connecting…');
    const durationSlot = h('span', null, fmtDuration(runDuration(run)));
    const engineSlot = h('span', null, engineText(run));
    const startedSlot = h('span', null, fmtDate(run.startedAt ?? run.createdAt));
    const cancelButton = h('button', { class: 'danger', type: 'button', hidden: !isActive(run.status), onclick: () => void cancel() }, 'Cancel run');
    const deployButton = deployAction(run);

    const lossChart = new LineChart({ title: 'Loss per epoch', xLabel: 'epoch', integerX: true, emptyText: 'No epochs yet: loss appears after the first epoch ends.',
      series: [{ label: 'train loss', color: PALETTE[0] }, { label: 'val loss', color: PALETTE[1], dash: [6, 4] }] });
    const accuracyChart = new LineChart({ title: 'Accuracy per epoch', xLabel: 'epoch', integerX: true, emptyText: 'No epochs yet.',
      series: [{ label: 'train accuracy', color: PALETTE[0] }, { label: 'val accuracy', color: PALETTE[1], dash: [6, 4] }] });
    const lrChart = new LineChart({ title: 'Learning rate per epoch', xLabel: 'epoch', integerX: true, logY: true, emptyText: 'No learning rate logged yet.',
      series: [{ label: 'learning rate', color: PALETTE[2] }] });
    charts.push(lossChart, accuracyChart, lrChart);
    const chartGrid = h('div', { class: 'chart-grid' }, lossChart.element, accuracyChart.element);
    const metricCharts = new Map<string, LineChart>();
    const epochsBody = h('tbody');
    const epochsCount = h('span', { class: 'muted small' });
    const notes = notesSection();

    replace(outlet,
      h('header', { class: 'page-header' },
        h('div', null,
          h('p', { class: 'crumbs' }, link('/runs', 'Runs'), ' / '),
          h('h1', null, run.name, ' ', statusSlot),
          h('dl', { class: 'meta' },
            meta('Trainer', run.trainer), meta('Dataset', run.dataset ? link(`/datasets#${run.dataset.id}`, run.dataset.name) : '–'),
            meta('Engine', engineSlot), meta('Started', startedSlot),
            meta('Duration', durationSlot), meta('Tags', run.tags.length ? run.tags.join(', ') : '–'), run.study ? meta('Study', link(`/studies/${run.study.id}`, run.study.name)) : null, meta('Live', connection))),
        h('div', { class: 'actions' }, cancelButton, deployButton, link(`/compare?ids=${run.id}`, 'Compare with…'))),
      errorSlot,
      h('section', { class: 'card' }, h('h2', null, 'Curves'), chartGrid),
      notes.element,
      h('section', { class: 'card' }, h('h2', null, 'Epochs ', epochsCount),
        h('div', { class: 'table-scroll' }, h('table', { class: 'data', dataset: { testid: 'epochs' } },
          h('thead', null, h('tr', null, ['Phase', 'Epoch', 'Loss', 'Accuracy', 'Val loss', 'Val accuracy', 'Learning rate', 'Duration'].map((t, i) => h('th', { class: i > 1 ? 'num' : '' }, t)))),
          epochsBody))),
      evaluationSlot(run),
      artifactsSection(run),
      h('section', { class: 'card' }, h('h2', null, 'Resolved config'), h('pre', { class: 'config', dataset: { testid: 'config' } }, JSON.stringify(run.config, null, 2))));

    const showStatus = (status: RunStatus, error: string | null) => {
      const wasActive = isActive(run.status);
      run.status = status;
      replace(statusSlot, statusBadge(status));
      cancelButton.hidden = !isActive(status);
      deployButton.hidden = !canDeploy({ ...run, status });
      if (connection.dataset.state === 'live') connection.textContent = isActive(status) ? '● live' : '● up to date';
      replace(errorSlot, error && status === 'FAILED' ? notice('error', `The run failed: ${error}`) : null);
      // A run that just started knows its engine; one that just finished has its evaluation and artifacts.
      if ((status === 'RUNNING' && !run.startedAt) || (wasActive && !isActive(status))) void refresh();
    };
    const refresh = async () => {
      const fresh = await refreshResults(run);
      if (!fresh) return;
      Object.assign(run, { startedAt: fresh.startedAt, finishedAt: fresh.finishedAt, engine: fresh.engine, gpuName: fresh.gpuName });
      engineSlot.textContent = engineText(run);
      startedSlot.textContent = fmtDate(run.startedAt ?? run.createdAt);
      durationSlot.textContent = fmtDuration(runDuration(run));
    };
    showStatus(run.status, run.error);
    ticker = setInterval(() => {
      if (isActive(run.status)) durationSlot.textContent = fmtDuration(runDuration(run));
    }, 1000);

    let latestEpochs: Epoch[] = [];
    const drawEpochs = frameThrottle(() => {
      const epochs = latestEpochs;
      lossChart.setData(epochColumns(epochs, ['loss', 'valLoss']), plural(epochs.length, 'epoch'));
      accuracyChart.setData(epochColumns(epochs, ['accuracy', 'valAccuracy']));
      // Learning rate from the epochs, unless a learning_rate metric (finer) has its own chart.
      if (!metricCharts.has('learning_rate') && epochs.some((e) => e.learningRate !== null)) {
        if (!lrChart.element.isConnected) chartGrid.insertBefore(lrChart.element, chartGrid.children[2] ?? null);
        lrChart.setData(epochColumns(epochs, ['learningRate']));
      }
      epochsCount.textContent = `(${epochs.length})`;
      replace(epochsBody, epochs.length ? epochs.map((e) => h('tr', { dataset: { phase: e.phase, index: e.index } },
        h('td', null, e.phase), h('td', null, e.index + 1), h('td', { class: 'num' }, fmtLoss(e.loss)), h('td', { class: 'num' }, fmtPercent(e.accuracy)),
        h('td', { class: 'num' }, fmtLoss(e.valLoss)), h('td', { class: 'num' }, fmtPercent(e.valAccuracy)), h('td', { class: 'num' }, fmtLearningRate(e.learningRate)),
        h('td', { class: 'num' }, fmtDuration(e.durationMs))))
        : h('tr', null, h('td', { colspan: 8, class: 'muted' }, isActive(run.status) ? 'Waiting for the first epoch…' : 'This run logged no epochs.')));
    });

    const dirtyKeys = new Set<string>();
    const drawMetrics = frameThrottle(() => {
      for (const key of dirtyKeys) {
        let chart = metricCharts.get(key);
        if (!chart) {
          const perEpoch = PER_EPOCH_KEYS.includes(key);
          chart = new LineChart({ title: KEY_TITLES[key] ?? key, xLabel: perEpoch ? 'epoch' : 'step', integerX: perEpoch, logY: LOG_KEYS.includes(key), emptyText: 'No points yet.',
            series: [{ label: key, color: PALETTE[(metricCharts.size + 3) % PALETTE.length] }] });
          chart.element.dataset.metric = key;
          metricCharts.set(key, chart);
          charts.push(chart);
          if (key === 'learning_rate') lrChart.element.remove();
          const ordered = [...metricCharts.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
          const next = ordered.slice(ordered.indexOf(key) + 1).map((k) => metricCharts.get(k)!.element).find((e) => e.isConnected);
          chartGrid.insertBefore(chart.element, next ?? null);
        }
        const [steps, ys] = liveData!.points(key);
        const xs = PER_EPOCH_KEYS.includes(key) ? steps.map((step) => step + 1) : steps;
        const total = liveData!.totals.get(key);
        chart.setData([xs, ys], total?.downsampled ? `${plural(xs.length, 'point')} shown of ${total.totalPoints} (downsampled)` : plural(xs.length, 'point'));
      }
      dirtyKeys.clear();
    });

    liveData = new RunLiveData(run.id, {
      onEpochs: (epochs) => {
        latestEpochs = epochs;
        drawEpochs();
      },
      onMetric: (key) => {
        dirtyKeys.add(key);
        drawMetrics();
      },
      onStatus: showStatus,
      onNotes: notes.show,
      onConnection: (state: LiveState, error?: ApiError) => {
        connection.dataset.state = state;
        connection.className = `live-state live-${state}`;
        connection.textContent = state === 'live' ? (isActive(run.status) ? '● live' : '● up to date') : state === 'failed' ? `stopped: ${error?.message ?? ''} ${error?.hint ?? ''}` : state === 'reconnecting' ? 'reconnecting… (will resume where it stopped)' : 'connecting…';
      },
    });
    liveData.start(run).catch((error) => replace(errorSlot, errorNotice(error, () => location.reload())));

    async function cancel() {
      if (!confirm(`Cancel run "${run.name}"? A worker stops it within one batch.`)) return;
      cancelButton.disabled = true;
      try {
        const { cancelRun } = await request(CANCEL_RUN, { id: run.id });
        showStatus(cancelRun.status, null);
      } catch (error) {
        replace(errorSlot, errorNotice(error));
      } finally {
        cancelButton.disabled = false;
      }
    }
  }

  async function refreshResults(run: RunDetail): Promise<RunDetail | null> {
    try {
      const fresh = (await request(RUN_QUERY, { id: run.id })).run;
      if (!fresh) return null;
      outlet.querySelector('#evaluation')?.replaceWith(evaluationSlot(fresh));
      outlet.querySelector('#artifacts')?.replaceWith(artifactsSection(fresh));
      return fresh;
    } catch {
      return null; // the page still shows the curves; a reload fetches the results
    }
  }

  return () => {
    liveData?.close();
    clearInterval(ticker);
    for (const chart of charts) chart.destroy();
  };
};

const engineText = (run: RunDetail) => (run.engine ? `${run.engine}${run.gpuName ? ` (${run.gpuName})` : ''}` : '–');
const rank = (key: string) => (KNOWN_KEYS.includes(key) ? KNOWN_KEYS.indexOf(key) : KNOWN_KEYS.length);

const canDeploy = (run: Pick<RunDetail, 'status' | 'trainer'>) => run.status === 'SUCCEEDED' && run.trainer !== 'EXTERNAL';

/** "Deploy": serve this run's model (docs/deployments.md) and open its deployment page. */
function deployAction(run: RunDetail): HTMLButtonElement {
  const button = h('button', { type: 'button', hidden: !canDeploy(run), dataset: { testid: 'deploy' }, onclick: async () => {
    button.disabled = true;
    try {
      const { deploy } = await request(DEPLOY, { input: { runId: run.id } });
      navigate(`/deployments/${deploy.id}`);
    } catch (error) {
      button.disabled = false;
      button.after(errorNotice(error));
    }
  } }, 'Deploy');
  return button;
}

function meta(label: string, value: Node | string | (Node | string)[]) {
  return h('div', null, h('dt', null, label), h('dd', null, value));
}

/** The trainer's notes, newest last; hidden until there is one. */
function notesSection() {
  const list = h('ol', { class: 'notes', dataset: { testid: 'notes' } });
  const count = h('span', { class: 'muted small' });
  const element = h('section', { class: 'card', id: 'notes', hidden: true }, h('h2', null, 'Trainer notes ', count), list);
  const show = (notes: RunNote[]) => {
    // Follow new notes unless the reader scrolled up to older ones.
    const atEnd = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
    element.hidden = notes.length === 0;
    count.textContent = `(${notes.length})`;
    replace(list, notes.map((note) => h('li', { dataset: { noteId: note.id } },
      h('time', { class: 'muted', datetime: note.time }, fmtDate(note.time)), h('span', { class: 'note-message' }, note.message))));
    if (atEnd) list.scrollTop = list.scrollHeight;
  };
  return { element, show };
}

function evaluationSlot(run: RunDetail) {
  return evaluationSection(run.evaluation, isActive(run.status));
}

function artifactsSection(run: RunDetail): HTMLElement {
  const rows = run.artifacts.map((artifact) => {
    const local = artifact.uri.startsWith('file://');
    const name = decodeURIComponent(artifact.uri.split('/').filter(Boolean).pop() ?? artifact.uri);
    const status = h('span', { class: 'muted small' });
    const download = h('button', { type: 'button', class: 'link-button', onclick: async () => {
      status.textContent = 'preparing…';
      try {
        const url = await fetchObjectUrl(`/api/runs/${run.id}/artifacts/download?uri=${encodeURIComponent(artifact.uri)}`);
        const a = h('a', { href: url, download: artifact.kind === 'model' ? `${name}.tar` : name });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
        status.textContent = '';
      } catch (error) {
        status.textContent = `download failed: ${(error as Error).message} ${error instanceof ApiError ? error.hint : ''}`;
      }
    } }, local ? `Download ${name}` : '');
    return h('tr', null, h('td', null, artifact.kind), h('td', { class: 'uri' }, local ? [download, ' ', status] : h('code', null, artifact.uri)),
      h('td', { class: 'num' }, fmtBytes(artifact.bytes)), h('td', null, fmtDate(artifact.createdAt)));
  });
  return h('section', { class: 'card', id: 'artifacts' }, h('h2', null, 'Artifacts'),
    rows.length
      ? h('div', { class: 'table-scroll' }, h('table', { class: 'data' }, h('thead', null, h('tr', null, h('th', null, 'Kind'), h('th', null, 'File'), h('th', { class: 'num' }, 'Size'), h('th', null, 'Created'))), h('tbody', null, rows)))
      : h('p', { class: 'muted' }, isActive(run.status) ? 'Checkpoints, logs and the exported model appear here when the run produces them.' : 'This run produced no files.'));
}
