/**
 * History-API routing: the server answers every dashboard path with
 * index.html (SPA fallback), so links can be shared and reloaded.
 */
type Listener = () => void;
let listener: Listener | null = null;

export function onNavigate(fn: Listener): void {
  listener = fn;
  window.addEventListener('popstate', fn);
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  listener?.();
}

/** Left clicks on links marked data-route stay in the page. */
export function interceptLinks(root: HTMLElement): void {
  root.addEventListener('click', (event) => {
    const anchor = (event.target as HTMLElement).closest<HTMLAnchorElement>('a[data-route]');
    if (!anchor || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const url = new URL(anchor.href);
    if (url.origin !== location.origin) return;
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });
}

export interface Match {
  name: string;
  params: Record<string, string>;
}

const ROUTES: [string, RegExp][] = [
  ['runs', /^\/(?:runs\/?)?$/],
  ['run', /^\/runs\/(?<id>[^/]+)\/?$/],
  ['compare', /^\/compare\/?$/],
  ['datasets', /^\/datasets\/?$/],
  ['deployment', /^\/deployments\/(?<id>[^/]+)\/?$/],
  ['studies', /^\/studies\/?$/],
  ['study', /^\/studies\/(?<id>[^/]+)\/?$/],
];

export function match(pathname: string): Match | null {
  for (const [name, pattern] of ROUTES) {
    const m = pattern.exec(pathname);
    if (m) return { name, params: Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)])) };
  }
  return null;
}
