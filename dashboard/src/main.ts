import './styles.css';
import { apiKey, setApiKey } from './api';
import { h, link, notice, replace } from './dom';
import { comparePage } from './pages/compare';
import { datasetsPage } from './pages/datasets';
import { deploymentPage } from './pages/deployment';
import type { Page } from './pages/page';
import { runPage } from './pages/run';
import { runsPage } from './pages/runs';
import { studiesPage } from './pages/studies';
import { studyPage } from './pages/study';
import { interceptLinks, match, onNavigate } from './router';

const PAGES: Record<string, Page> = { runs: runsPage, run: runPage, compare: comparePage, datasets: datasetsPage, deployment: deploymentPage, studies: studiesPage, study: studyPage };
/** The nav section a page belongs to. */
const SECTION: Record<string, string> = { run: 'runs', study: 'studies' };

const root = document.getElementById('app')!;
const outlet = h('main', { id: 'outlet' });
const nav = h('nav', { class: 'nav', 'aria-label': 'Main' },
  link('/runs', 'Runs'), link('/studies', 'Studies'), link('/compare', 'Compare'), link('/datasets', 'Datasets'));

/** Paste an API key: kept in this browser's localStorage, sent as a bearer token on HTTP and graphql-ws. */
function apiKeyPanel(): HTMLElement {
  const input = h('input', { type: 'password', name: 'apiKey', autocomplete: 'off', placeholder: 'paste an API key', 'aria-label': 'API key' });
  const state = h('span', { class: 'small muted' });
  const show = () => (state.textContent = apiKey() ? 'a key is set' : 'no key (fine when the server has auth off)');
  show();
  const form = h('form', { class: 'key-form', onsubmit: (e: Event) => {
    e.preventDefault();
    setApiKey(input.value.trim() || null);
    input.value = '';
    show();
    render();
  } },
  input, h('button', { type: 'submit' }, 'Save'),
  h('button', { type: 'button', onclick: () => { setApiKey(null); show(); render(); } }, 'Forget'), state);
  return h('details', { class: 'api-key' }, h('summary', null, 'API key'), form);
}

replace(root,
  h('header', { class: 'topbar' }, link('/runs', h('span', { class: 'brand' }, 'Epochal')), nav, apiKeyPanel()),
  outlet);

let leave: (() => void) | void;
function render() {
  if (typeof leave === 'function') leave();
  leave = undefined;
  const found = match(location.pathname);
  for (const a of nav.querySelectorAll('a')) a.classList.toggle('active', !!found && new URL(a.href).pathname.startsWith(`/${SECTION[found.name] ?? found.name}`));
  if (!found) {
    replace(outlet, notice('empty', `There is no page at ${location.pathname}.`, link('/runs', 'Go to the runs list')));
    return;
  }
  window.scrollTo(0, 0);
  leave = PAGES[found.name](outlet, found.params, new URLSearchParams(location.search));
}

interceptLinks(root);
onNavigate(render);
render();
