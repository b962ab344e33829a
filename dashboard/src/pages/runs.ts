import { live, request } from '../api';
import { fmtDate, fmtDuration, fmtLoss, fmtPercent, h, link, notice, replace, runDuration, statusBadge } from '../dom';
import { navigate } from '../router';
import { CANCEL_RUN, isActive, PROJECTS_QUERY, RUN_STATUSES, RUNS_QUERY, STATUS_SUBSCRIPTION, TRAINERS, type RunStatus, type RunSummary, type TrainerKind } from '../queries';
import { errorNotice, type Page } from './page';
import { startTrainingForm } from './start-training';

const PAGE_SIZE = 50;

const best = (values: (number | null)[], pick: (a: number, b: number) => number) =>
  values.reduce<number | null>((acc, v) => (v === null ? acc : acc === null ? v : pick(acc, v)), null);

/** Runs: a live list (status changes appear without reload), filters in the URL, a start-training form. */
export const runsPage: Page = (outlet, _params, search) => {
  const status = search.get('status') ?? '';
  const trainer = search.get('trainer') ?? '';
  const tag = search.get('tag') ?? '';
  const project = search.get('project') ?? '';
  const runs = new Map<string, RunSummary>();
  let total = 0;
  let endCursor: string | null = null;
  let hasMore = false;

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(name, value);
    else next.delete(name);
    navigate(`/runs${next.size ? `?${next}` : ''}`, { replace: true });
  };
  const tagInput = h('input', { type: 'search', name: 'tag', placeholder: 'tag', value: tag, 'aria-label': 'Filter by tag' });
  // The projects arrive after the page is drawn; until then the one in the URL is the only choice.
  const projectSelect = h('select', { name: 'project', onchange: (e: Event) => setFilter('project', (e.target as HTMLSelectElement).value) },
    h('option', { value: '' }, 'all'), project ? h('option', { value: project, selected: true }, project) : null);
  void request(PROJECTS_QUERY).then((data) => replace(projectSelect, h('option', { value: '' }, 'all'),
    data.projects.map((p) => h('option', { value: p.name, selected: p.name === project }, p.name))), () => undefined);
  const filters = h('form', { class: 'filters', onsubmit: (e: Event) => { e.preventDefault(); setFilter('tag', tagInput.value.trim()); } },
    h('label', null, 'Project ', projectSelect),
    h('label', null, 'Status ', h('select', { name: 'status', onchange: (e: Event) => setFilter('status', (e.target as HTMLSelectElement).value) },
      h('option', { value: '' }, 'any'), RUN_STATUSES.map((s) => h('option', { value: s, selected: s === status }, s.toLowerCase())))),
    h('label', null, 'Trainer ', h('select', { name: 'trainer', onchange: (e: Event) => setFilter('trainer', (e.target as HTMLSelectElement).value) },
      h('option', { value: '' }, 'any'), TRAINERS.map((t) => h('option', { value: t, selected: t === trainer }, t)))),
    h('label', null, 'Tag ', tagInput), h('button', { type: 'submit' }, 'Filter'),
    status || trainer || tag || project ? link('/runs', 'Clear filters') : null);

  const list = h('div', { class: 'runs-list' }, notice('loading', 'Loading runs…'));
  const counter = h('span', { class: 'muted small' });
  replace(outlet,
    h('header', { class: 'page-header' }, h('h1', null, 'Runs ', counter)),
    startTrainingForm(),
    filters,
    list);

  // As the URL has them: the server refuses an unknown status or trainer, and the page shows its error.
  const filter = { status: status ? [status as RunStatus] : undefined, trainer: trainer ? [trainer as TrainerKind] : undefined, tag: tag || undefined, project: project || undefined };

  async function load(append: boolean) {
    try {
      const data = await request(RUNS_QUERY, { filter, first: PAGE_SIZE, after: append ? endCursor : null });
      if (!append) runs.clear();
      for (const { node } of data.runs.edges) runs.set(node.id, node);
      total = data.runs.totalCount;
      endCursor = data.runs.pageInfo.endCursor;
      hasMore = data.runs.pageInfo.hasNextPage;
      draw();
    } catch (error) {
      replace(list, errorNotice(error, () => void load(false)));
    }
  }

  function draw() {
    counter.textContent = `(${total})`;
    if (runs.size === 0) {
      replace(list, status || trainer || tag
        ? notice('empty', 'No run matches these filters.', link('/runs', 'Clear the filters'), ' to see every run.')
        : notice('empty', 'No runs yet.', 'Start a training above, or report one from a script with the Python client: ',
          h('code', null, 'epochal.start_run("my-run")'), ' (see clients/python/README.md).'));
      return;
    }
    replace(list,
      h('div', { class: 'table-scroll' }, h('table', { class: 'data runs', dataset: { testid: 'runs' } },
        h('thead', null, h('tr', null, ['Name', 'Status', 'Trainer', 'Dataset', 'Engine', 'Best val loss', 'Best val acc.', 'Started', 'Duration', ''].map((t, i) =>
          h('th', { class: i >= 5 && i <= 6 ? 'num' : '' }, t)))),
        h('tbody', null, [...runs.values()].map(row)))),
      hasMore ? h('p', null, h('button', { type: 'button', onclick: () => void load(true) }, `Load more (${runs.size} of ${total})`)) : null);
  }

  function row(run: RunSummary) {
    const cancel = isActive(run.status)
      ? h('button', { type: 'button', class: 'small danger', onclick: async (e: Event) => {
          const button = e.currentTarget as HTMLButtonElement;
          if (!confirm(`Cancel run "${run.name}"?`)) return;
          button.disabled = true;
          try {
            await request(CANCEL_RUN, { id: run.id });
          } catch (error) {
            button.replaceWith(errorNotice(error));
          }
        } }, 'Cancel')
      : null;
    return h('tr', { dataset: { runId: run.id, status: run.status } },
      h('td', { class: 'run-name' }, link(`/runs/${run.id}`, run.name), run.tags.length ? h('div', { class: 'tags' }, run.tags.map((t) => h('span', { class: 'tag' }, t))) : null),
      h('td', { title: run.error ?? '' }, statusBadge(run.status)),
      h('td', null, run.trainer), h('td', { class: 'dataset-name', title: run.dataset?.name ?? null }, run.dataset?.name ?? '–'), h('td', null, run.engine ?? '–'),
      h('td', { class: 'num' }, fmtLoss(best(run.epochs.map((e) => e.valLoss), Math.min))),
      h('td', { class: 'num' }, fmtPercent(best(run.epochs.map((e) => e.valAccuracy), Math.max))),
      h('td', null, fmtDate(run.startedAt ?? run.createdAt)),
      h('td', { class: 'duration', dataset: { active: isActive(run.status) ? 1 : 0 } }, fmtDuration(runDuration(run))),
      h('td', null, cancel));
  }

  // Listen before the first load so a change between the two is not lost;
  // after a dropped connection, reload: changes made meanwhile were not sent.
  let refetch: ReturnType<typeof setTimeout> | undefined;
  const scheduleReload = () => {
    clearTimeout(refetch);
    refetch = setTimeout(() => void load(false), 250);
  };
  const stop = live({
    query: STATUS_SUBSCRIPTION,
    variables: () => ({}),
    onResubscribe: scheduleReload,
    onData: ({ runStatusChanged: change }) => {
      const run = runs.get(change.runId);
      // A new run, or one whose new status moves it in or out of the filter: reload the page of runs.
      if (!run || (status && change.status !== status)) return scheduleReload();
      run.status = change.status;
      run.error = change.error;
      if (change.status === 'RUNNING' && !run.startedAt) run.startedAt = new Date().toISOString();
      if (!isActive(change.status) && !run.finishedAt) run.finishedAt = new Date().toISOString();
      list.querySelector(`tr[data-run-id="${run.id}"]`)?.replaceWith(row(run));
      // Engines and final metrics are known once a run ends: refresh its row from the server.
      if (!isActive(change.status)) scheduleReload();
    },
  });
  void load(false);
  const ticker = setInterval(() => {
    for (const cell of list.querySelectorAll<HTMLElement>('td.duration[data-active="1"]')) {
      const run = runs.get(cell.closest('tr')?.dataset.runId ?? '');
      if (run) cell.textContent = fmtDuration(runDuration(run));
    }
  }, 1000);
  return () => {
    stop();
    clearInterval(ticker);
    clearTimeout(refetch);
  };
};
