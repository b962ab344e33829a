import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from './dom';

/**
 * Ten colours for ten runs, from Okabe & Ito's and Paul Tol's colour-blind-safe
 * sets: every pair stays at least 12 CIELAB units apart for normal vision and
 * simulated deuteranopia, protanopia and tritanopia (test/dashboard/charts.test.ts
 * measures it). Beyond ten, series repeat a colour with a dash.
 */
export const PALETTE = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#332288', '#e69f00', '#56b4e9', '#999933', '#882255', '#000000'];

export interface SeriesSpec {
  label: string;
  color: string;
  dash?: number[];
  /** Line width in px (2); 0 draws no line, e.g. a band's edges. */
  width?: number;
  /** Marks at the points (a curve of a few arms). */
  points?: boolean;
}

/** A filled band between two series (indices into `series`): an interval around a mean. */
export interface BandSpec {
  upper: number;
  lower: number;
  fill: string;
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  series: SeriesSpec[];
  /** Whole-number x ticks (epochs). */
  integerX?: boolean;
  /** Start on a log y scale (learning rates span decades); every chart has a toggle, off while a value is <= 0. */
  logY?: boolean;
  /** A log x scale (training-set sizes span decades); xs must be > 0. */
  logX?: boolean;
  bands?: BandSpec[];
  /** What to say while there is nothing to draw. */
  emptyText: string;
  height?: number;
}

/**
 * A uPlot line chart (canvas: fast with tens of thousands of points) that
 * follows its container's width and takes whole new data on each update;
 * callers throttle updates to animation frames.
 */
export class LineChart {
  readonly element: HTMLElement;
  private readonly plotHost: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly scaleToggle: HTMLButtonElement;
  private plot: uPlot | null = null;
  private data: uPlot.AlignedData = [[]];
  private logY: boolean;
  /** Markers on each point: on for short series, where a line alone hides single points. */
  private markers = false;
  private readonly resizeObserver: ResizeObserver;

  constructor(private spec: ChartSpec) {
    this.logY = spec.logY ?? false;
    this.plotHost = h('div', { class: 'chart-plot' });
    this.empty = h('div', { class: 'chart-empty' }, spec.emptyText);
    this.caption = h('span', { class: 'chart-caption', dataset: { testid: 'chart-caption' } });
    this.scaleToggle = h('button', { type: 'button', class: 'small chart-scale', dataset: { testid: 'log-toggle' }, onclick: () => this.setLogY(!this.logY) });
    this.element = h('figure', { class: 'chart', dataset: { chart: spec.title, points: 0, scale: this.logY ? 'log' : 'linear', colors: spec.series.map((s) => s.color).join(' ') } },
      h('figcaption', null, h('strong', null, spec.title), ' ', this.caption, this.scaleToggle), this.plotHost, this.empty);
    this.updateToggle();
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(this.element);
  }

  private width(): number {
    return Math.max(240, this.plotHost.clientWidth || this.element.clientWidth || 600);
  }

  private resize(): void {
    this.plot?.setSize({ width: this.width(), height: this.spec.height ?? 240 });
  }

  /** Replaces the series (and their count, when runs are added to a comparison). */
  setSeries(series: SeriesSpec[]): void {
    this.spec = { ...this.spec, series };
    this.element.dataset.colors = series.map((s) => s.color).join(' ');
    this.plot?.destroy();
    this.plot = null;
  }

  /** Log or linear y; a log scale is refused (stays linear) while some value is <= 0. */
  setLogY(on: boolean): void {
    this.logY = on;
    if (this.plot) this.rebuild();
    else this.updateToggle();
  }

  /** data: [xs, ...one y array per series], xs ascending; null where a series has no point. */
  setData(data: uPlot.AlignedData, caption = ''): void {
    this.data = data;
    let pointCount = 0;
    let longest = 0;
    for (const ys of data.slice(1)) {
      let count = 0;
      for (const y of ys) if (y !== null && y !== undefined) count++;
      pointCount += count;
      longest = Math.max(longest, count);
    }
    this.element.dataset.points = String(pointCount);
    this.caption.textContent = caption;
    this.empty.hidden = data[0].length > 0;
    const markers = longest <= 30;
    const rebuild = !this.plot || markers !== this.markers || (this.logY && !this.canLog());
    this.markers = markers;
    if (rebuild) this.rebuild();
    else this.plot!.setData(data);
  }

  private canLog(): boolean {
    return this.data.slice(1).every((ys) => Array.from(ys as ArrayLike<number | null | undefined>).every((y) => y === null || y === undefined || y > 0));
  }

  private updateToggle(): void {
    const allowed = this.canLog();
    this.scaleToggle.disabled = !allowed;
    this.scaleToggle.textContent = this.logY ? 'linear scale' : 'log scale';
    this.scaleToggle.title = allowed ? `Show the y axis on a ${this.logY ? 'linear' : 'log'} scale` : 'A log scale needs every value above 0';
    this.scaleToggle.setAttribute('aria-pressed', String(this.logY));
  }

  private rebuild(): void {
    if (this.logY && !this.canLog()) this.logY = false;
    this.element.dataset.scale = this.logY ? 'log' : 'linear';
    this.updateToggle();
    this.plot?.destroy();
    this.plot = new uPlot(this.options(), this.data, this.plotHost);
  }

  private options(): uPlot.Options {
    const integerX = this.spec.integerX;
    return {
      width: this.width(),
      height: this.spec.height ?? 240,
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
      scales: {
        // Whole epochs: the range snaps to integers, and a single point gets one either side.
        x: {
          time: false,
          ...(integerX ? { range: (_u: uPlot, min: number, max: number): uPlot.Range.MinMax => (min === max ? [Math.floor(min) - 1, Math.ceil(max) + 1] : [Math.floor(min), Math.ceil(max)]) } : {}),
          ...(this.spec.logX ? { distr: 3 } : {}),
        },
        ...(this.logY ? { y: { distr: 3, log: 10 } } : {}),
      },
      bands: this.spec.bands?.map((b) => ({ series: [b.upper + 1, b.lower + 1] as [number, number], fill: b.fill })),
      axes: [
        { label: this.spec.xLabel, stroke: '#3f4650', grid: { stroke: '#e3e6ea' }, ticks: { stroke: '#c9ced4' },
          ...(integerX ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] } : {}),
          // A log axis passes null for the minor ticks it leaves unlabelled.
          values: (_u: uPlot, splits: (number | null)[], _axis: number, _space: number, increment: number) =>
            this.ticks('x', splits as number[], splits.map((v) => (v == null ? '' : integerX || this.spec.logX ? String(v) : tickLabel(v, increment)))) },
        { stroke: '#3f4650', grid: { stroke: '#e3e6ea' }, ticks: { stroke: '#c9ced4' }, size: 64,
          values: (_u: uPlot, splits: number[], _axis: number, _space: number, increment: number) =>
            // uPlot leaves null where a log axis has no room for a label.
            this.ticks('y', splits, splits.map((v) => (v === null ? '' : this.logY ? v.toExponential(0) : tickLabel(v, increment)))) },
      ],
      series: [
        { label: this.spec.xLabel },
        ...this.spec.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: s.width ?? 2,
          dash: s.dash,
          spanGaps: true,
          points: { show: s.points ?? this.markers, size: 7, fill: s.color },
        })),
      ],
    };
  }

  /** The axis' tick labels as drawn, also kept on the element (data-x-ticks, data-y-ticks) for readers and tests. */
  private ticks(axis: 'x' | 'y', _splits: number[], labels: string[]): string[] {
    this.element.dataset[`${axis}Ticks`] = labels.filter(Boolean).join(' ');
    return labels;
  }

  destroy(): void {
    this.resizeObserver.disconnect();
    this.plot?.destroy();
  }
}

/** Tick labels with as many decimals as the tick spacing needs, so 1.382 and 1.386 stay apart. */
function tickLabel(value: number, increment: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  const step = Math.abs(increment) || abs;
  if (abs < 1e-3 || abs >= 1e6 || step < 1e-3) return value.toExponential(1);
  // The fewest decimals that write the spacing exactly: 0.25 needs 2, 0.5 needs 1, 5 needs 0.
  let decimals = 0;
  while (decimals < 6 && Math.abs(Math.round(step * 10 ** decimals) - step * 10 ** decimals) > 1e-6) decimals++;
  return value.toFixed(decimals);
}

/** Joins series with different x values into uPlot's aligned columns. */
export function alignSeries(series: Map<number, number>[]): uPlot.AlignedData {
  const xs = [...new Set(series.flatMap((s) => [...s.keys()]))].sort((a, b) => a - b);
  return [xs, ...series.map((s) => xs.map((x) => s.get(x) ?? null))];
}

/** Schedules one call per animation frame, however many events arrive in it. */
export function frameThrottle(fn: () => void): () => void {
  let scheduled = false;
  return () => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      fn();
    });
  };
}
