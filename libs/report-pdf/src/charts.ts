import { BAND_LABEL, round } from './format.js';
import { COLOR, type Layout } from './layout.js';
import type { ReportBand } from './model.js';

// Vector charts. Bands are told apart by pattern and by a printed label as well as by colour, so a
// board pack printed in greyscale (or read by someone colour-blind) still reads correctly:
// green = solid, amber = diagonal hatch, red = cross-hatch.

export const BAND_FILL: Record<ReportBand, string> = { green: '#4f9a5a', amber: '#f2c14e', red: '#d9534f' };
const BAND_HATCH: Record<ReportBand, string> = { green: '#2b5c33', amber: '#7a5c12', red: '#5e1512' };

export function bandSwatch(layout: Layout, x: number, y: number, w: number, h: number, band: ReportBand | null): void {
  const doc = layout.doc;
  if (band === null) {
    doc.save().rect(x, y, w, h).lineWidth(0.6).dash(2, { space: 2 }).strokeColor(COLOR.muted).stroke().undash().restore();
    return;
  }
  doc.save();
  doc.rect(x, y, w, h).fillColor(BAND_FILL[band]).fill();
  if (band !== 'green') {
    doc.rect(x, y, w, h).clip();
    doc.lineWidth(0.7).strokeColor(BAND_HATCH[band]);
    const step = 4.5;
    for (let d = -h; d < w; d += step) doc.moveTo(x + d, y + h).lineTo(x + d + h, y);
    if (band === 'red') for (let d = 0; d < w + h; d += step) doc.moveTo(x + d, y + h).lineTo(x + d - h, y);
    doc.stroke();
  }
  doc.restore();
  doc.save().rect(x, y, w, h).lineWidth(0.5).strokeColor(COLOR.ink).stroke().restore();
}

/** A band chip: swatch plus the band name, so the meaning never rests on colour. */
export function bandChip(layout: Layout, x: number, y: number, band: ReportBand | null, size = 8): number {
  bandSwatch(layout, x, y + 0.5, size + 2, size + 2, band);
  const label = band === null ? 'n/a' : BAND_LABEL[band];
  layout.lineAt(label, x + size + 6, y + 1, 60, { size, bold: true });
  return size + 6 + layout.widthOf(label, { size, bold: true });
}

export function legend(layout: Layout, x: number, y: number): void {
  let cx = x;
  for (const band of ['green', 'amber', 'red'] as const) {
    cx += bandChip(layout, cx, y, band, 7.5) + 14;
  }
  layout.lineAt('(green ≥ 75, amber ≥ 50, red < 50; critical caps apply)', cx, y + 1, 260, { size: 7.5, color: COLOR.muted });
}

export interface BarDatum {
  label: string;
  value: number | null;
  band: ReportBand | null;
}

/** Horizontal bars on a 0–100 axis with the 50 and 75 band thresholds marked. */
export function barChart(layout: Layout, x: number, width: number, data: BarDatum[]): void {
  const doc = layout.doc;
  const labelW = 215;
  const valueW = 62;
  const barX = x + labelW;
  const barW = width - labelW - valueW;
  const rowH = 17;
  const barH = 10;
  const height = data.length * rowH + 22;
  layout.ensure(height + 20);
  const top = layout.y;
  const axisY = top + data.length * rowH + 2;

  // Gridlines and thresholds first, so the bars sit on top.
  for (const tick of [0, 25, 50, 75, 100]) {
    const tx = barX + (barW * tick) / 100;
    const threshold = tick === 50 || tick === 75;
    doc.save().moveTo(tx, top - 2).lineTo(tx, axisY).lineWidth(threshold ? 0.9 : 0.4);
    if (threshold) doc.dash(3, { space: 2 });
    doc.strokeColor(threshold ? COLOR.ink : COLOR.rule).stroke().restore();
    layout.lineAt(String(tick), tx - 15, axisY + 3, 30, { size: 7, color: COLOR.muted, align: 'center' });
  }
  data.forEach((d, i) => {
    const y = top + i * rowH;
    layout.lineAt(d.label, x, y + 1.5, labelW - 8, { size: 8 });
    if (d.value === null) {
      layout.lineAt('not applicable', barX + 4, y + 1.5, barW, { size: 7.5, color: COLOR.muted });
    } else {
      const w = Math.max(1, (barW * Math.min(100, Math.max(0, d.value))) / 100);
      bandSwatch(layout, barX, y + (rowH - barH) / 2 - 1.5, w, barH, d.band);
    }
    const value = d.value === null ? '—' : `${round(d.value)}  ${d.band ? BAND_LABEL[d.band] : ''}`;
    layout.lineAt(value, barX + barW + 6, y + 1.5, valueW - 6, { size: 8, bold: true });
  });
  layout.y = axisY + 16;
}

export interface TrendDatum {
  label: string;
  value: number;
  band: ReportBand;
}

/** Overall score over time: a line with labelled points and the band thresholds drawn across. */
export function trendChart(layout: Layout, x: number, width: number, data: TrendDatum[]): void {
  const doc = layout.doc;
  const height = 150;
  layout.ensure(height + 30);
  const top = layout.y + 6;
  const axisX = x + 28;
  const plotW = width - 40;
  const yOf = (v: number): number => top + height - (height * Math.min(100, Math.max(0, v))) / 100;

  for (const tick of [0, 25, 50, 75, 100]) {
    const ty = yOf(tick);
    const threshold = tick === 50 || tick === 75;
    doc.save().moveTo(axisX, ty).lineTo(axisX + plotW, ty).lineWidth(threshold ? 0.9 : 0.4);
    if (threshold) doc.dash(3, { space: 2 });
    doc.strokeColor(threshold ? COLOR.ink : COLOR.rule).stroke().restore();
    layout.lineAt(String(tick), x, ty - 4, 22, { size: 7, color: COLOR.muted, align: 'right' });
  }
  layout.lineAt('Green from 75', axisX + plotW - 140, yOf(75) + 2, 70, { size: 6.5, color: COLOR.muted, align: 'right' });
  layout.lineAt('Amber from 50', axisX + plotW - 140, yOf(50) + 2, 70, { size: 6.5, color: COLOR.muted, align: 'right' });

  const n = data.length;
  const xOf = (i: number): number => axisX + (n <= 1 ? plotW / 2 : 20 + ((plotW - 40) * i) / (n - 1));
  if (n > 1) {
    doc.save();
    data.forEach((d, i) => (i === 0 ? doc.moveTo(xOf(i), yOf(d.value)) : doc.lineTo(xOf(i), yOf(d.value))));
    doc.lineWidth(1.6).strokeColor(COLOR.brand).stroke().restore();
  }
  data.forEach((d, i) => {
    const px = xOf(i);
    const py = yOf(d.value);
    bandSwatch(layout, px - 4.5, py - 4.5, 9, 9, d.band);
    // A white plate keeps the value legible where it crosses a gridline or threshold.
    const label = `${round(d.value)} ${BAND_LABEL[d.band]}`;
    const lw = layout.widthOf(label, { size: 7.5, bold: true }) + 6;
    layout.box(px - lw / 2, py - 18, lw, 11, COLOR.white);
    layout.lineAt(label, px - 40, py - 17, 80, { size: 7.5, bold: true, align: 'center' });
    layout.lineAt(d.label, px - 45, top + height + 5, 90, { size: 7.5, color: COLOR.muted, align: 'center' });
  });
  layout.y = top + height + 22;
}

/** A thin horizontal meter for a percentage, with the number beside it. */
export function meter(layout: Layout, x: number, y: number, width: number, pct: number): void {
  const doc = layout.doc;
  const w = Math.max(0, Math.min(100, pct));
  doc.save().rect(x, y, width, 6).lineWidth(0.5).strokeColor(COLOR.muted).stroke().restore();
  if (w > 0) doc.save().rect(x, y, (width * w) / 100, 6).fillColor(COLOR.brand).fill().restore();
}
