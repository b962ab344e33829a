import { request } from '../api';
import { fmtDate, h, link, notice, replace, statusBadge } from '../dom';
import { STUDIES_QUERY, type StudySummary } from '../study-queries';
import { errorNotice, type Page } from './page';

/** Studies: every study, newest first, each linking to its page (they are started through the API or `npm run demo -- study`). */
export const studiesPage: Page = (outlet) => {
  const list = h('div', null, notice('loading', 'Loading studies…'));
  replace(outlet, h('header', { class: 'page-header' }, h('h1', null, 'Studies')), list);
  const load = async () => {
    try {
      const { studies } = await request(STUDIES_QUERY);
      replace(list, studies.length ? table(studies) : notice('empty', 'No study yet.', 'Start one with the ',
        h('code', null, 'startLearningCurve'), ' or ', h('code', null, 'startRobustnessStudy'), ' mutation, or run ',
        h('code', null, 'npm run demo -- study'), ' (docs/studies.md).'));
    } catch (error) {
      replace(list, errorNotice(error, () => void load()));
    }
  };
  void load();
};

function table(studies: StudySummary[]): HTMLElement {
  return h('div', { class: 'table-scroll' }, h('table', { class: 'data', dataset: { testid: 'studies' } },
    h('thead', null, h('tr', null, ['Name', 'Kind', 'Status', 'Trainer', 'Dataset', 'Arms', 'Seeds', 'Started'].map((t) => h('th', null, t)))),
    h('tbody', null, studies.map((s) => h('tr', { dataset: { studyId: s.id } },
      h('td', null, link(`/studies/${s.id}`, s.name)),
      h('td', null, s.kind === 'LEARNING_CURVE' ? 'learning curve' : 'robustness'),
      h('td', null, statusBadge(s.status)), h('td', null, s.trainer), h('td', null, s.dataset.name),
      h('td', { class: 'num' }, s.arms.length), h('td', null, s.seeds.join(', ')), h('td', null, fmtDate(s.createdAt)))))));
}
