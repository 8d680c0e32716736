import { FONT_BOLD, FONT_REGULAR } from './fonts.js';

// Page geometry and the few primitives every section uses. The renderer owns pagination: pdfkit's
// own bottom margin is set below the footer so pdfkit never breaks a page by itself, and every
// block is measured (heightOfString) before it is drawn, so nothing lands outside the content box.

export const PAGE_W = 595.28; // A4
export const PAGE_H = 841.89;
export const MARGIN_X = 50;
export const CONTENT_W = PAGE_W - 2 * MARGIN_X;
export const CONTENT_TOP = 72;
export const CONTENT_BOTTOM = PAGE_H - 62;
/** pdfkit's own margins: inside the header and footer, so it never auto-breaks our pages. */
const PDFKIT_MARGINS = { top: 24, bottom: 24, left: MARGIN_X, right: MARGIN_X };

export const COLOR = {
  ink: '#1b1f24',
  muted: '#5b6470',
  rule: '#c9ced6',
  faint: '#f3f5f8',
  headerFill: '#e4e9f0',
  brand: '#1f3a5f',
  alert: '#b3261e',
  white: '#ffffff',
} as const;

export interface TextStyle {
  size?: number;
  bold?: boolean;
  color?: string;
  align?: 'left' | 'right' | 'center';
  lineGap?: number;
}

export interface Cell {
  text: string;
  bold?: boolean;
  color?: string;
  size?: number;
  align?: 'left' | 'right' | 'center';
}
export type CellInput = string | Cell;

export interface TableRow {
  cells: CellInput[];
  /** Background for the whole row (e.g. overdue). */
  fill?: string;
  /** A solid bar at the row's left edge: a non-colour cue that survives greyscale printing. */
  marker?: boolean;
}

export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

export interface TableOptions {
  size?: number;
  /** Drawn above the header; repeated with "(continued)" when the table breaks. */
  caption?: string;
  zebra?: boolean;
}

const CELL_PAD_X = 4;
const CELL_PAD_Y = 3.5;
const ELLIPSIS = '…';

// Glyph widths at 1 pt, shared by every document in the process (widths depend only on the font
// file). Bounded so a long-running worker fed with unique strings (hashes) cannot grow it forever.
const WIDTH_CACHE_LIMIT = 100_000;
const widthCaches = { regular: new Map<string, number>(), bold: new Map<string, number>() };

export class Layout {
  constructor(readonly doc: PDFKit.PDFDocument) {}

  get y(): number {
    return this.doc.y;
  }

  set y(value: number) {
    this.doc.y = value;
  }

  addPage(): void {
    this.doc.addPage({ size: [PAGE_W, PAGE_H], margins: PDFKIT_MARGINS });
    this.doc.y = CONTENT_TOP;
  }

  remaining(): number {
    return CONTENT_BOTTOM - this.doc.y;
  }

  /** Starts a new page unless `height` still fits; returns whether it broke. */
  ensure(height: number): boolean {
    if (height <= this.remaining()) return false;
    this.addPage();
    return true;
  }

  gap(points: number): void {
    this.doc.y = Math.min(this.doc.y + points, CONTENT_BOTTOM);
  }

  style(style: TextStyle): void {
    this.doc
      .font(style.bold ? FONT_BOLD : FONT_REGULAR)
      .fontSize(style.size ?? 9.5)
      .fillColor(style.color ?? COLOR.ink);
  }

  private unitWidth(text: string, bold: boolean): number {
    const cache = bold ? widthCaches.bold : widthCaches.regular;
    let w = cache.get(text);
    if (w === undefined) {
      if (cache.size >= WIDTH_CACHE_LIMIT) cache.clear();
      this.doc.font(bold ? FONT_BOLD : FONT_REGULAR).fontSize(1);
      w = this.doc.widthOfString(text);
      cache.set(text, w);
    }
    return w;
  }

  /** Width of one line of text as drawn (see drawLines: lines are drawn with a trailing space). */
  widthOf(text: string, style: TextStyle = {}): number {
    const bold = style.bold ?? false;
    return (this.unitWidth(`${text} `, bold) - this.unitWidth(' ', bold)) * (style.size ?? 9.5);
  }

  lineHeight(style: TextStyle = {}): number {
    this.doc.font(style.bold ? FONT_BOLD : FONT_REGULAR).fontSize(style.size ?? 9.5);
    return this.doc.currentLineHeight(true) + (style.lineGap ?? 1);
  }

  /**
   * Greedy word wrap with cached word widths. pdfkit's own wrapper runs Unicode line breaking and
   * lays out every word on every call; measuring and drawing with it doubled the render time. One
   * wrap serves both the measurement and the drawing, so a block is exactly as tall as measured.
   * Words are measured with their trailing space, the unit pdfkit caches glyph runs by, so each
   * word is shaped once per document. Words wider than the line are cut by character, so an
   * unbroken string cannot leave its column.
   */
  wrap(text: string, width: number, style: TextStyle = {}): string[] {
    const bold = style.bold ?? false;
    const size = style.size ?? 9.5;
    // A hair of slack for rounding in pdfkit's own width arithmetic.
    const limit = (width - 0.5) / size;
    const space = this.unitWidth(' ', bold);
    const out: string[] = [];
    for (const paragraph of text.split('\n')) {
      let line = '';
      let lineW = 0; // width of `line` plus one trailing space
      for (const word of paragraph.split(/[ \t]+/)) {
        if (word.length === 0) continue;
        const w = this.unitWidth(`${word} `, bold);
        if (line && lineW + w - space <= limit) {
          line += ` ${word}`;
          lineW += w;
          continue;
        }
        if (line) out.push(line);
        if (w - space <= limit) {
          line = word;
          lineW = w;
          continue;
        }
        // Cut an over-long word into pieces that fit.
        let rest = word;
        while (rest.length > 1 && this.unitWidth(rest, bold) > limit) {
          let n = Math.max(1, Math.floor((rest.length * limit) / this.unitWidth(rest, bold)));
          while (n > 1 && this.unitWidth(rest.slice(0, n), bold) > limit) n--;
          while (n < rest.length && this.unitWidth(rest.slice(0, n + 1), bold) <= limit) n++;
          out.push(rest.slice(0, n));
          rest = rest.slice(n);
        }
        line = rest;
        lineW = this.unitWidth(`${rest} `, bold);
      }
      out.push(line);
    }
    return out;
  }

  measure(text: string, width: number, style: TextStyle = {}): number {
    return this.wrap(text, width, style).length * this.lineHeight(style);
  }

  /** Wrapped lines of `text`, shortened with an ellipsis to at most `maxHeight`. */
  fitLines(text: string, width: number, maxHeight: number, style: TextStyle = {}): string[] {
    const lines = this.wrap(text, width, style);
    const maxLines = Math.max(1, Math.floor((maxHeight + 0.01) / this.lineHeight(style)));
    if (lines.length <= maxLines) return lines;
    const kept = lines.slice(0, maxLines);
    const last = kept.pop() ?? '';
    kept.push(this.widthOf(last + ELLIPSIS, style) <= width - 0.5 ? last + ELLIPSIS : this.fitLine(last, width, style, true));
    return kept;
  }

  /** Shortens `text` with an ellipsis until it fits `maxHeight` at `width`; whole text when it fits. */
  fitText(text: string, width: number, maxHeight: number, style: TextStyle = {}): string {
    return this.fitLines(text, width, maxHeight, style).join('\n');
  }

  /** One line, shortened to `width` with an ellipsis. For labels in charts, headers and footers. */
  fitLine(text: string, width: number, style: TextStyle = {}, forceEllipsis = false): string {
    const limit = width - 0.5;
    if (!forceEllipsis && this.widthOf(text, style) <= limit) return text;
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.widthOf(text.slice(0, mid).trimEnd() + ELLIPSIS, style) <= limit) lo = mid;
      else hi = mid - 1;
    }
    return text.slice(0, lo).trimEnd() + ELLIPSIS;
  }

  /** Draws pre-wrapped lines; returns their height. Never moves the flow or the page. */
  drawLines(lines: string[], x: number, y: number, width: number, style: TextStyle = {}): number {
    const { x: flowX, y: flowY } = this.doc;
    // Measure first: a width-cache miss measures at 1 pt and so changes the current font size.
    const widths = lines.map((line) => this.widthOf(line, style));
    this.style(style);
    const lh = this.doc.currentLineHeight(true) + (style.lineGap ?? 1);
    const align = style.align ?? 'left';
    lines.forEach((line, i) => {
      if (!line) return;
      const w = widths[i] ?? 0;
      const offset = align === 'left' ? 0 : Math.max(0, width - w) / (align === 'center' ? 2 : 1);
      // No `width`: pdfkit draws the line as given instead of wrapping it again. The trailing space
      // keeps every word in pdfkit's per-word glyph cache under the key it was measured with.
      const options = { lineBreak: false, textWidth: w } as PDFKit.Mixins.TextOptions;
      this.doc.text(`${line} `, x + offset, y + i * lh, options);
    });
    this.doc.x = flowX;
    this.doc.y = flowY;
    return lines.length * lh;
  }

  /** Draws wrapped text at an explicit position; returns its height. Never moves the flow or the page. */
  textAt(text: string, x: number, y: number, width: number, style: TextStyle = {}): number {
    return this.drawLines(this.wrap(text, width, style), x, y, width, style);
  }

  /** Single line at an explicit position, shortened to fit `width`. Never moves the flow. */
  lineAt(text: string, x: number, y: number, width: number, style: TextStyle = {}): void {
    this.drawLines([this.fitLine(text.replaceAll('\n', ' '), width, style)], x, y, width, style);
  }

  /** A flowing paragraph at the left margin; longer than a page is shortened to a page. */
  paragraph(text: string, style: TextStyle = {}, after = 6, x = MARGIN_X, width = CONTENT_W): void {
    const maxHeight = CONTENT_BOTTOM - CONTENT_TOP;
    const fitted = this.fitText(text, width, maxHeight, style);
    this.ensure(this.measure(fitted, width, style));
    this.y += this.textAt(fitted, x, this.y, width, style) + after;
  }

  bullets(items: string[], style: TextStyle = {}, marker = '•'): void {
    const indent = 12;
    for (const item of items) {
      const width = CONTENT_W - indent;
      const fitted = this.fitText(item, width, 120, style);
      this.ensure(this.measure(fitted, width, style));
      const top = this.y;
      this.lineAt(marker, MARGIN_X, top, indent, style);
      this.y = top + this.textAt(fitted, MARGIN_X + indent, top, width, style) + 3;
    }
  }

  /** Section title on a fresh page or after a gap; kept with at least `keepWith` points of content. */
  section(title: string, options: { newPage?: boolean; keepWith?: number } = {}): void {
    if (options.newPage) this.addPage();
    else {
      if (this.y > CONTENT_TOP) this.gap(14);
      this.ensure(34 + (options.keepWith ?? 90));
    }
    this.doc.outline.addItem(title);
    const top = this.y;
    const h = this.textAt(title, MARGIN_X, top, CONTENT_W, { size: 15, bold: true, color: COLOR.brand });
    const ruleY = top + h + 3;
    this.doc.moveTo(MARGIN_X, ruleY).lineTo(MARGIN_X + CONTENT_W, ruleY).lineWidth(1).strokeColor(COLOR.brand).stroke();
    this.y = ruleY + 9;
  }

  subheading(title: string, keepWith = 60): void {
    if (this.y > CONTENT_TOP) this.gap(6);
    this.ensure(18 + keepWith);
    this.y += this.textAt(title, MARGIN_X, this.y, CONTENT_W, { size: 11, bold: true, color: COLOR.ink }) + 4;
  }

  /** Light box behind a block; the caller measures the block first. */
  box(x: number, y: number, w: number, h: number, fill: string, stroke: string | null = null): void {
    this.doc.save();
    this.doc.rect(x, y, w, h).fillColor(fill);
    if (stroke) this.doc.lineWidth(0.75).fillAndStroke(fill, stroke);
    else this.doc.fill();
    this.doc.restore();
  }

  /** Two-column label/value list; values wrap, labels are bold and muted. */
  keyValues(rows: [string, string][], labelWidth = 150, style: TextStyle = {}, x = MARGIN_X, width = CONTENT_W): void {
    const size = style.size ?? 9;
    const valueWidth = width - labelWidth;
    for (const [label, value] of rows) {
      const fitted = this.fitText(value, valueWidth, 160, { size });
      const h = Math.max(this.measure(label, labelWidth - 8, { size, bold: true }), this.measure(fitted, valueWidth, { size }));
      this.ensure(h + 4);
      const top = this.y;
      this.textAt(label, x, top, labelWidth - 8, { size, bold: true, color: COLOR.muted });
      this.textAt(fitted, x + labelWidth, top, valueWidth, { size, color: style.color ?? COLOR.ink });
      this.y = top + h + 4;
    }
  }

  /**
   * A table that breaks across pages with its header (and caption) repeated. Cells wrap; a row taller
   * than a page has its cells shortened with an ellipsis, so no row ever spills past the footer.
   */
  table(columns: Column[], rows: (CellInput[] | TableRow)[], options: TableOptions = {}): void {
    const size = options.size ?? 8;
    const totalWidth = columns.reduce((sum, c) => sum + c.width, 0);
    const headerStyle: TextStyle = { size, bold: true, color: COLOR.ink };
    const headerHeight =
      Math.max(...columns.map((c) => this.measure(c.header, c.width - 2 * CELL_PAD_X, headerStyle))) + 2 * CELL_PAD_Y;
    const captionHeight = options.caption ? this.measure(options.caption, totalWidth, { size: 9.5, bold: true }) + 4 : 0;
    const maxRowHeight = CONTENT_BOTTOM - CONTENT_TOP - headerHeight - captionHeight - 4;

    const drawHeader = (continued: boolean): void => {
      if (options.caption) {
        const caption = continued ? `${options.caption} (continued)` : options.caption;
        this.y += this.textAt(caption, MARGIN_X, this.y, totalWidth, { size: 9.5, bold: true }) + 4;
      }
      const top = this.y;
      this.box(MARGIN_X, top, totalWidth, headerHeight, COLOR.headerFill);
      let x = MARGIN_X;
      for (const c of columns) {
        this.textAt(c.header, x + CELL_PAD_X, top + CELL_PAD_Y, c.width - 2 * CELL_PAD_X, {
          ...headerStyle,
          align: c.align ?? 'left',
        });
        x += c.width;
      }
      this.y = top + headerHeight;
    };

    const prepared = rows.map((row) => {
      const r: TableRow = Array.isArray(row) ? { cells: row } : row;
      const cells = columns.map((c, i) => {
        const raw = r.cells[i] ?? '';
        const cell: Cell = typeof raw === 'string' ? { text: raw } : raw;
        const style: TextStyle = { size: cell.size ?? size, bold: cell.bold ?? false, color: cell.color ?? COLOR.ink };
        const inner = c.width - 2 * CELL_PAD_X;
        const lines = this.fitLines(cell.text, inner, maxRowHeight - 2 * CELL_PAD_Y, style);
        return { lines, style, align: cell.align ?? c.align ?? 'left', height: lines.length * this.lineHeight(style) };
      });
      const height = Math.max(...cells.map((c) => c.height)) + 2 * CELL_PAD_Y;
      return { row: r, cells, height };
    });

    // Keep the caption and header with the first row.
    this.ensure(captionHeight + headerHeight + (prepared[0]?.height ?? 0));
    drawHeader(false);
    prepared.forEach(({ row, cells, height }, index) => {
      if (height > this.remaining()) {
        this.addPage();
        drawHeader(true);
      }
      const top = this.y;
      const fill = row.fill ?? (options.zebra !== false && index % 2 === 1 ? COLOR.faint : null);
      if (fill) this.box(MARGIN_X, top, totalWidth, height, fill);
      if (row.marker) this.box(MARGIN_X, top, 2.5, height, COLOR.ink);
      let x = MARGIN_X;
      cells.forEach((cell, i) => {
        const w = columns[i]?.width ?? 0;
        this.drawLines(cell.lines, x + CELL_PAD_X, top + CELL_PAD_Y, w - 2 * CELL_PAD_X, { ...cell.style, align: cell.align });
        x += w;
      });
      this.doc
        .moveTo(MARGIN_X, top + height)
        .lineTo(MARGIN_X + totalWidth, top + height)
        .lineWidth(0.4)
        .strokeColor(COLOR.rule)
        .stroke();
      this.y = top + height;
    });
    if (prepared.length === 0) {
      this.y += this.textAt('None.', MARGIN_X + CELL_PAD_X, this.y + CELL_PAD_Y, totalWidth, { size, color: COLOR.muted }) + 2 * CELL_PAD_Y;
    }
    this.gap(6);
  }
}
