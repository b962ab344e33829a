import { live, request, type LiveState } from '../api';
import { fmtDate, fmtNumber, h, link, notice, replace, statusBadge } from '../dom';
import { isActive } from '../queries';
import { StudyCurveChart } from '../study-curve-chart';
import {
  STUDY_CURVE_QUERY, STUDY_EVENTS, STUDY_MINIMAL_SIZE_QUERY, STUDY_QUERY, type CurvePointRow, type StudyArmRow, type StudyDetail,
} from '../study-queries';
import { errorNotice, type Page } from './page';

const DEFAULT_TARGET = 0.9;

/**
 * A study: its curve (TRAIN images on a log x, the mean macro-F1 with its 95% interval as a
 * band, per-label F1 lines on demand), the minimal size for a target the user types, for a
 * robustness study each arm's per-label F1 and its drop from the baseline, and the arms' runs
 * with their status live (studyEvents; each event reloads the figures, which change as runs end).
 */
export const studyPage: Page = (outlet, params) => {
  const id = params.id;
  let stopLive: (() => void) | null = null;
  let chart: StudyCurveChart | null = null;
  let reloadTimer: ReturnType<typeof setTimeout> | undefined;
  let left = false;
  replace(outlet, notice('loading', 'Loading the study…'));

  void (async () => {
    let study: StudyDetail | null;
    try {
      study = (await request(STUDY_QUERY, { id })).study;
    } catch (error) {
      replace(outlet, errorNotice(error, () => location.reload()));
      return;
    }
    if (left) return;
    if (!study) {
      replace(outlet, notice('empty', `There is no study with id ${id}.`, link('/studies', 'Back to the studies')));
      return;
    }
    render(study);
  })();

  function render(first: StudyDetail) {
    let study = first;
    const labels = study.dataset.labels;
    const statusSlot = h('span', { dataset: { testid: 'study-status' } }, statusBadge(study.status));
    const connection = h('span', { class: 'live-state', dataset: { testid: 'live-state' } }, 'connecting…');
    const errorSlot = h('div');
    const pointsSlot = h('div');
    const runsSlot = h('div');
    const robustnessSlot = h('div');
    const minimalSlot = h('p', { dataset: { testid: 'minimal-size' } });
    const targetInput = h('input', { type: 'number', name: 'target', step: 'any', value: DEFAULT_TARGET, 'aria-label': 'Target macro-F1' });
    const learningCurve = study.kind === 'LEARNING_CURVE';

    const curveOf = async (metric: 'F1' | 'MACRO_F1', label: string | null) => (await request(STUDY_CURVE_QUERY, { id, metric, label })).study?.curve ?? [];
    const onError = (error: unknown) => replace(errorSlot, errorNotice(error));
    if (learningCurve) chart = new StudyCurveChart(labels, (label) => curveOf('F1', label), onError);

    const showMinimal = () => showMinimalSize(id, study, targetInput, minimalSlot, chart);

    async function redraw() {
      replace(statusSlot, statusBadge(study.status));
      replace(pointsSlot, pointsTable(study));
      replace(runsSlot, runsTable(study.arms));
      await chart?.update(study.curve);
      await showMinimal();
      if (!learningCurve) replace(robustnessSlot, await robustnessTable(study, labels, (label) => curveOf('F1', label)));
    }

    let latest = 0;
    const reload = () => {
      clearTimeout(reloadTimer);
      reloadTimer = setTimeout(async () => {
        const mine = ++latest;
        try {
          const fresh = (await request(STUDY_QUERY, { id })).study;
          // An older answer arriving after a newer one would put stale figures back.
          if (fresh && !left && mine === latest) {
            study = fresh;
            await redraw();
          }
        } catch (error) {
          replace(errorSlot, errorNotice(error));
        }
      }, 250);
    };

    replace(outlet,
      h('header', { class: 'page-header' },
        h('div', null,
          h('p', { class: 'crumbs' }, link('/studies', 'Studies'), ' / '),
          h('h1', null, study.name, ' ', statusSlot),
          h('dl', { class: 'meta' },
            meta('Kind', learningCurve ? 'learning curve' : 'robustness'), meta('Dataset', link(`/datasets#${study.dataset.id}`, study.dataset.name)),
            meta('Trainer', study.trainer), meta('Seeds', study.seeds.join(', ')), meta('Arms', String(study.arms.length)),
            meta('Estimated cost', study.estimatedCostUsd == null ? '–' : `$${study.estimatedCostUsd.toFixed(2)}`),
            meta('Started', fmtDate(study.createdAt)), meta('Live', connection)))),
      errorSlot,
      h('section', { class: 'card' }, h('h2', null, learningCurve ? 'Learning curve' : 'Arms'),
        chart?.element, pointsSlot,
        h('p', { class: 'small muted' }, 'Each point: the mean over the arm\'s SUCCEEDED runs; the interval is the 95% interval of the mean ',
          '(Student\'s t, shown with 2 or more runs). Few seeds give wide intervals: docs/studies.md.')),
      h('section', { class: 'card' }, h('h2', null, 'Minimal training size'),
        h('form', { class: 'filters', onsubmit: (e: Event) => { e.preventDefault(); void showMinimal(); } },
          h('label', null, 'Target macro-F1 ', targetInput), h('button', { type: 'submit' }, 'Find')),
        minimalSlot),
      learningCurve ? null : h('section', { class: 'card' }, h('h2', null, 'Per-label F1 by arm'), robustnessSlot),
      h('section', { class: 'card' }, h('h2', null, 'Runs'), runsSlot));
    void redraw();

    stopLive = live({
      query: STUDY_EVENTS,
      variables: () => ({ id }),
      onState: (state: LiveState) => {
        connection.textContent = state === 'live' ? 'live' : `${state}…`;
        connection.dataset.state = state;
      },
      onResubscribe: reload,
      onData: ({ studyEvents: event }) => {
        study = { ...study, status: event.status };
        replace(statusSlot, statusBadge(event.status));
        if (event.run) {
          const cell = runsSlot.querySelector(`[data-run-id="${event.run.runId}"] .run-status`);
          if (cell) replace(cell, statusBadge(event.run.status));
        }
        // A run that ended changes the figures; the last event (run null) says the study ended.
        if (!event.run || !isActive(event.run.status)) reload();
        if (!event.run) {
          stopLive?.();
          stopLive = null;
          connection.textContent = 'ended';
          connection.dataset.state = 'ended';
        }
      },
    });
  }

  return () => {
    left = true;
    stopLive?.();
    clearTimeout(reloadTimer);
    chart?.destroy();
  };
};

/** The fewest TRAIN images whose interval's lower end reaches the typed target (the API answers; the chart draws the target). */
async function showMinimalSize(id: string, study: StudyDetail, targetInput: HTMLInputElement, slot: HTMLElement, chart: StudyCurveChart | null): Promise<void> {
  const target = Number(targetInput.value);
  chart?.setTarget(targetInput.value === '' ? NaN : target);
  if (targetInput.value === '' || !Number.isFinite(target)) {
    replace(slot, 'Type a target macro-F1 (e.g. 0.9).');
    return;
  }
  try {
    const size = (await request(STUDY_MINIMAL_SIZE_QUERY, { id, target })).study?.minimalTrainingSize ?? null;
    slot.dataset.size = size == null ? '' : String(size);
    const arm = study.curve.find((p) => p.trainImages === size);
    replace(slot, size == null
      ? `No arm's 95% interval reaches macro-F1 ${target} at its lower end${isActive(study.status) ? ' yet' : ''}.`
      : [h('strong', null, `${size} TRAIN images`), ` (${arm?.arm ?? 'an arm'}) is the fewest whose 95% interval's lower end reaches macro-F1 ${target}.`]);
  } catch (error) {
    replace(slot, errorNotice(error));
  }
}

function pointsTable(study: StudyDetail): HTMLElement {
  return h('div', { class: 'table-scroll' }, h('table', { class: 'data', dataset: { testid: 'curve' } },
    h('thead', null, h('tr', null, ['Arm', 'TRAIN images', 'Runs', 'Mean macro-F1', 'Std', '95% interval'].map((t, i) => h('th', { class: i ? 'num' : '' }, t)))),
    h('tbody', null, study.curve.map((p) => h('tr', { dataset: { arm: p.arm } },
      h('td', null, p.arm), h('td', { class: 'num' }, p.trainImages), h('td', { class: 'num' }, p.runs),
      h('td', { class: 'num' }, fmtNumber(p.mean, 3)), h('td', { class: 'num' }, fmtNumber(p.std, 3)),
      h('td', { class: 'num' }, p.low == null ? '–' : `${fmtNumber(p.low, 3)} – ${fmtNumber(p.high, 3)}`))))));
}

function runsTable(arms: StudyArmRow[]): HTMLElement {
  return h('div', { class: 'table-scroll' }, h('table', { class: 'data', dataset: { testid: 'study-runs' } },
    h('thead', null, h('tr', null, ['Arm', 'Run', 'Status', 'Macro-F1'].map((t, i) => h('th', { class: i === 3 ? 'num' : '' }, t)))),
    h('tbody', null, arms.flatMap((arm) => arm.runs.map((run, i) => h('tr', { dataset: { runId: run.id, arm: arm.name } },
      h('td', null, i === 0 ? [arm.name, arm.evaluatesBaseline ? h('div', { class: 'small muted' }, 'evaluates the baseline\'s models') : null] : ''),
      h('td', null, link(`/runs/${run.id}`, run.name)),
      h('td', { class: 'run-status', title: run.error ?? '' }, statusBadge(run.status)),
      h('td', { class: 'num' }, fmtNumber(run.evaluation?.macroF1, 3))))))));
}

/** Robustness: each arm's mean F1 per label (over its runs, from curve(F1, label)) and the change from the baseline. */
async function robustnessTable(study: StudyDetail, labels: string[], curveOf: (label: string) => Promise<CurvePointRow[]>): Promise<HTMLElement> {
  const perLabel = await Promise.all(labels.map(curveOf));
  const columns: { title: string; points: CurvePointRow[] }[] = [{ title: 'macro-F1', points: study.curve }, ...labels.map((label, i) => ({ title: `F1 ${label}`, points: perLabel[i] }))];
  const cell = (points: CurvePointRow[], arm: number) => {
    const value = points[arm]?.mean ?? null;
    const baseline = points[0]?.mean ?? null;
    if (arm === 0 || value == null || baseline == null) return h('td', { class: 'num' }, fmtNumber(value, 3));
    const drop = value - baseline;
    return h('td', { class: 'num', dataset: { drop: drop.toFixed(6) } }, fmtNumber(value, 3), ' ',
      h('span', { class: drop < 0 ? 'drop' : 'small muted' }, `(${drop >= 0 ? '+' : '−'}${Math.abs(drop).toFixed(3)})`));
  };
  return h('div', { class: 'table-scroll' }, h('table', { class: 'data', dataset: { testid: 'robustness' } },
    h('thead', null, h('tr', null, h('th', null, 'Arm'), columns.map((c) => h('th', { class: 'num' }, c.title)))),
    h('tbody', null, study.arms.map((arm, a) => h('tr', { dataset: { arm: arm.name } }, h('td', null, arm.name), columns.map((c) => cell(c.points, a)))))),
    h('p', { class: 'small muted' }, 'In brackets: the change from the baseline\'s mean.'));
}

function meta(label: string, value: Node | string) {
  return h('div', null, h('dt', null, label), h('dd', null, value));
}
