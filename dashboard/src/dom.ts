/** A few DOM helpers: the dashboard is plain TypeScript, no framework. */

export type Child = Node | string | number | null | undefined | false | Child[];

type Handler = (event: Event) => void;
export interface Props {
  class?: string;
  style?: string;
  dataset?: Record<string, string | number>;
  [attribute: string]: string | number | boolean | Handler | Record<string, string | number> | null | undefined;
}

/** Creates an element: `h('a', { href: '/runs', onclick: go }, 'Runs')`. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'dataset') {
      for (const [k, v] of Object.entries(value as Record<string, string | number>)) element.dataset[k] = String(v);
    } else if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value as Handler);
    } else if (name === 'value' && 'value' in element) {
      (element as unknown as { value: string }).value = String(value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A message block for empty, loading and error states; `action` says what to do next. */
export function notice(kind: 'empty' | 'error' | 'loading', message: string, ...action: Child[]): HTMLElement {
  return h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, h('p', null, message), action.length ? h('p', null, ...action) : null);
}

/*
 * One formatting rule per kind of number, so values side by side read alike:
 * scores (accuracy, precision, recall, F1, shares) as percentages with one
 * decimal; losses with three decimals; learning rates in scientific notation;
 * durations in s / min / h with a decimal below 10 s; money in USD; counts with
 * thousands separators. '–' for a missing value.
 */
const missing = (value: number | null | undefined): value is null | undefined => value === null || value === undefined || !Number.isFinite(value);

/** Any other measured value: up to `digits` decimals, scientific when tiny or huge. */
export function fmtNumber(value: number | null | undefined, digits = 4): string {
  if (missing(value)) return '–';
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e6)) return value.toExponential(2);
  return String(Number(value.toFixed(digits)));
}

/** A score or share in [0, 1]: 0.8163 → "81.6%". */
export function fmtPercent(value: number | null | undefined): string {
  return missing(value) ? '–' : `${(value * 100).toFixed(1)}%`;
}

/** A loss: always three decimals ("0.000", "0.400", "0.063"), scientific below 0.001. */
export function fmtLoss(value: number | null | undefined): string {
  if (missing(value)) return '–';
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e6)) return value.toExponential(2);
  return value.toFixed(3);
}

/** A learning rate: 0.001 → "1.0e-3", 0.00001 → "1.0e-5". */
export function fmtLearningRate(value: number | null | undefined): string {
  if (missing(value)) return '–';
  return value === 0 ? '0' : value.toExponential(1).replace('e+', 'e');
}

/** US dollars: "1.25 USD"; below a cent "0.0042 USD". */
export function fmtUsd(value: number | null | undefined): string {
  if (missing(value)) return '–';
  return `${value !== 0 && Math.abs(value) < 0.01 ? Number(value.toPrecision(2)) : value.toFixed(2)} USD`;
}

/** A count: 12345 → "12,345". */
export function fmtCount(value: number | null | undefined): string {
  return missing(value) ? '–' : Math.round(value).toLocaleString('en-US');
}

/** "1 point", "3 points". */
export function plural(count: number, noun: string): string {
  return `${fmtCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '–';
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }) : date.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

/** A duration: "0.4 s", "9.5 s", "42 s", "3 min 05 s", "2 h 07 min". */
export function fmtDuration(ms: number | null | undefined): string {
  if (missing(ms) || ms < 0) return '–';
  const seconds = ms / 1000;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

export function fmtBytes(bytes: number): string {
  if (!bytes) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  const i = Math.min(units.length - 1, Math.floor(Math.log(bytes) / Math.log(1024)));
  return `${(bytes / 1024 ** i).toFixed(i ? 1 : 0)} ${units[i]}`;
}

/** Run duration: to now while it runs. */
export function runDuration(run: { startedAt: string | null; finishedAt: string | null }): number | null {
  if (!run.startedAt) return null;
  return (run.finishedAt ? Date.parse(run.finishedAt) : Date.now()) - Date.parse(run.startedAt);
}

export function statusBadge(status: string): HTMLElement {
  return h('span', { class: `badge status-${status.toLowerCase()}`, dataset: { status } }, status.toLowerCase());
}

/** A link handled by the client-side router. */
export function link(href: string, ...children: Child[]): HTMLAnchorElement {
  return h('a', { href, dataset: { route: '' } }, ...children);
}
