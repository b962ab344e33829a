import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from './dom';

/** Colours with at least 4.5:1 contrast on white, told apart by more than hue where it matters (dashes). */
export const PALETTE = ['#1f5fbf', '#c2410c', '#2b7a3e', '#7e22ce', '#b91c1c', '#0e7490', '#4d5562', '#a16207'];

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
  /** A log y scale (learning rates span decades); values must be > 0. */
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
  private plot: uPlot | null = null;
  private readonly resizeObserver: ResizeObserver;

  constructor(private spec: ChartSpec) {
    this.plotHost = h('div', { class: 'chart-plot' });
    this.empty = h('div', { class: 'chart-empty' }, spec.emptyText);
    this.caption = h('span', { class: 'chart-caption', dataset: { testid: 'chart-caption' } });
    this.element = h('figure', { class: 'chart', dataset: { chart: spec.title, points: 0 } },
      h('figcaption', null, h('strong', null, spec.title), ' ', this.caption), this.plotHost, this.empty);
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
    this.plot?.destroy();
    this.plot = null;
  }

  /** data: [xs, ...one y array per series], xs ascending; null where a series has no point. */
  setData(data: uPlot.AlignedData, caption = ''): void {
    let pointCount = 0;
    for (const ys of data.slice(1)) for (const y of ys) if (y !== null && y !== undefined) pointCount++;
    this.element.dataset.points = String(pointCount);
    this.caption.textContent = caption;
    this.empty.hidden = data[0].length > 0;
    if (!this.plot) {
      this.plot = new uPlot(this.options(), data, this.plotHost);
    } else {
      this.plot.setData(data);
    }
  }

  private options(): uPlot.Options {
    return {
      width: this.width(),
      height: this.spec.height ?? 240,
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: false, ...(this.spec.logX ? { distr: 3 } : {}) }, ...(this.spec.logY ? { y: { distr: 3 } } : {}) },
      bands: this.spec.bands?.map((b) => ({ series: [b.upper + 1, b.lower + 1] as [number, number], fill: b.fill })),
      axes: [
        { label: this.spec.xLabel, stroke: '#3f4650', grid: { stroke: '#e3e6ea' }, ticks: { stroke: '#c9ced4' },
          ...(this.spec.integerX ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000], values: (_u: uPlot, splits: number[]) => splits.map((v) => String(v)) } : {}),
          // A log axis passes null for the minor ticks it leaves unlabelled.
          ...(this.spec.logX ? { values: (_u: uPlot, splits: (number | null)[]) => splits.map((v) => (v == null ? '' : String(v))) } : {}) },
        { stroke: '#3f4650', grid: { stroke: '#e3e6ea' }, ticks: { stroke: '#c9ced4' }, size: 64,
          values: (_u: uPlot, splits: number[], _axis: number, _space: number, increment: number) => splits.map((v) => tickLabel(v, increment)) },
      ],
      series: [
        { label: this.spec.xLabel },
        ...this.spec.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: s.width ?? 2,
          dash: s.dash,
          spanGaps: true,
          points: { show: s.points ?? false, size: 7 },
        })),
      ],
    };
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
