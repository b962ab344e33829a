import { alignSeries, frameThrottle, LineChart, PALETTE, type SeriesSpec } from './charts';
import { h } from './dom';
import type { CurvePointRow } from './study-queries';

const BAND_FILL = 'rgba(31, 95, 191, 0.15)';

/**
 * A learning curve on a log x (TRAIN images): the mean macro-F1 with its 95% interval as a band,
 * the user's target as a dashed line, and per-label F1 lines the user ticks (fetched on demand
 * with `curveOf`, again at each refresh, since they change as runs end).
 */
export class StudyCurveChart {
  readonly element: HTMLElement;
  private readonly chart: LineChart;
  private readonly shown = new Set<string>();
  private readonly labelCurves = new Map<string, CurvePointRow[]>();
  private points: CurvePointRow[] = [];
  private target = NaN;
  readonly draw: () => void;

  constructor(labels: string[], private readonly curveOf: (label: string) => Promise<CurvePointRow[]>, private readonly onError: (error: unknown) => void) {
    this.chart = new LineChart({ title: 'Macro-F1 on TEST', xLabel: 'TRAIN images (log scale)', logX: true, height: 300, series: this.series(),
      bands: [{ upper: 1, lower: 2, fill: BAND_FILL }], emptyText: 'No arm has a SUCCEEDED run yet: points appear as runs end.' });
    const picker = h('fieldset', { class: 'filters', dataset: { testid: 'label-curves' } }, h('legend', null, 'Per-label F1'),
      labels.map((label) => h('label', null,
        h('input', { type: 'checkbox', value: label, onchange: (e: Event) => void this.toggle(label, (e.target as HTMLInputElement).checked) }), ` ${label}`)));
    this.element = h('div', null, this.chart.element, picker);
    this.draw = frameThrottle(() => this.drawNow());
  }

  /** New figures for the arms; the ticked labels' lines are fetched again. */
  async update(points: CurvePointRow[]): Promise<void> {
    this.points = points;
    try {
      for (const label of this.shown) this.labelCurves.set(label, await this.curveOf(label));
    } catch (error) {
      this.onError(error);
    }
    this.draw();
  }

  setTarget(target: number): void {
    this.target = target;
    this.draw();
  }

  destroy(): void {
    this.chart.destroy();
  }

  private series(): SeriesSpec[] {
    return [
      { label: 'mean macro-F1', color: PALETTE[0], points: true },
      { label: '95% high', color: PALETTE[0], width: 0 },
      { label: '95% low', color: PALETTE[0], width: 0 },
      { label: 'target', color: PALETTE[6], dash: [6, 4], width: 1 },
      ...[...this.shown].map((label, i) => ({ label: `F1 ${label}`, color: PALETTE[(i + 1) % PALETTE.length], dash: [3, 3], points: true })),
    ];
  }

  private async toggle(label: string, on: boolean): Promise<void> {
    if (on) this.shown.add(label);
    else this.shown.delete(label);
    try {
      if (on && !this.labelCurves.has(label)) this.labelCurves.set(label, await this.curveOf(label));
    } catch (error) {
      this.onError(error);
    }
    this.chart.setSeries(this.series());
    this.draw();
  }

  private drawNow(): void {
    const byX = (points: CurvePointRow[], read: (p: CurvePointRow) => number | null) =>
      new Map(points.flatMap((p) => { const v = read(p); return v == null ? [] : [[p.trainImages, v] as [number, number]]; }));
    const columns = [byX(this.points, (p) => p.mean), byX(this.points, (p) => p.high), byX(this.points, (p) => p.low),
      new Map(Number.isFinite(this.target) ? this.points.map((p) => [p.trainImages, this.target] as [number, number]) : []),
      ...[...this.shown].map((label) => byX(this.labelCurves.get(label) ?? [], (p) => p.mean))];
    const withMean = this.points.filter((p) => p.mean != null).length;
    this.chart.setData(withMean ? alignSeries(columns) : [[]], `${withMean} of ${this.points.length} arm(s) with a point`);
  }
}
