import { FONT_BOLD, FONT_REGULAR } from './fonts.js';

// Page geometry and the few primitives every section uses. The renderer owns pagination: pdfkit's
// own bottom margin is set below the footer so pdfkit never breaks a page by itself, and every
// block is measured (heightOfString) before it is drawn, so nothing lands outside the content box.

export const PAGE_W = 595.28; // A4
export const PAGE_H = 841.89;
export const MARGIN_X = 50;
export const CONTENT_W = PAGE_W - 2 * MARGIN_X;
export const CONTENT_TOP = 72;
/** Leaves room below for a footer of up to three lines of marking, the issue line and the verify line. */
export const CONTENT_BOTTOM = PAGE_H - 70;
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
  /** Background of this cell only (a heatmap cell); drawn under the row's own fill. */
  fill?: string;
  /**
   * Kept on one line per paragraph: an identifier (question id, action number, evidence id) that must
   * never wrap. Drawn at a smaller size, down to 5.5 pt, when the column is too narrow for it.
   */
  nowrap?: boolean;
  /** Points reserved at the left for `decorate` (a swatch or meter). */
  indent?: number;
  /** Draws a non-text cue (band swatch, meter) in the cell's reserved indent; a decoration, not content. */
  decorate?: (x: number, y: number, height: number) => void;
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
  /** Every cell of the column is an identifier kept on one line (see Cell.nowrap). */
  nowrap?: boolean;
}

export interface TableOptions {
  size?: number;
  /** Drawn above the header; repeated with "(continued)" when the table breaks. */
  caption?: string;
  zebra?: boolean;
  /** A short summary of the table for assistive technology (the structure element's /Alt is not used for tables). */
  summary?: string;
}

/** Structure types that group others; text drawn directly inside one of them gets its own P. */
const GROUPING = new Set(['Document', 'Sect', 'Part', 'Div', 'Table', 'TR', 'THead', 'TBody', 'L', 'LI']);

const CELL_PAD_X = 4;
const CELL_PAD_Y = 3.5;
const ELLIPSIS = '…';

// Glyph widths at 1 pt, shared by every document in the process (widths depend only on the font
// file). Bounded so a long-running worker fed with unique strings (hashes) cannot grow it forever.
const WIDTH_CACHE_LIMIT = 100_000;
const widthCaches = { regular: new Map<string, number>(), bold: new Map<string, number>() };

interface OpenElement {
  type: string;
  /** Null for an element opened inside an artifact or figure, where nothing is tagged. */
  element: PDFKit.PDFStructureElement | null;
}

/** pdfkit's structure options, with the table-header scope its structure elements accept. */
type StructOptions = PDFKit.Mixins.StructureElementOptions & { scope?: 'Row' | 'Column' | 'Both' };

export class Layout {
  private readonly open: OpenElement[] = [];
  /** Above 0 while drawing a figure or an artifact: its parts are not marked one by one. */
  private rawDepth = 0;

  /**
   * `tagged`: the document carries a structure tree (issue 25): headings, paragraphs, lists and
   * tables are marked as such, drawn decoration (boxes, rules, page furniture) as artifacts, and
   * charts as figures with alternative text.
   */
  constructor(
    readonly doc: PDFKit.PDFDocument,
    readonly tagged = false,
  ) {
    if (tagged) {
      const root = doc.struct('Document');
      doc.addStructure(root);
      this.open.push({ type: 'Document', element: root });
    }
  }

  get y(): number {
    return this.doc.y;
  }

  set y(value: number) {
    this.doc.y = value;
  }

  // ---- Structure (tagged PDF). Every call is a no-op on an untagged document. ----

  /** Opens a structure element under the current one; close it with `end()`. */
  begin(type: string, options: StructOptions = {}): void {
    if (!this.tagged) return;
    this.open.push(this.child(type, options));
  }

  /** A new element under the current one, not made current. */
  private child(type: string, options: StructOptions = {}): OpenElement {
    if (this.rawDepth > 0) return { type, element: null };
    const element = this.doc.struct(type, options);
    this.open.at(-1)?.element?.add(element);
    return { type, element };
  }

  /** Closes the innermost element opened with `begin(type)`. */
  end(type: string): void {
    if (!this.tagged) return;
    const top = this.open.at(-1);
    if (top?.type !== type) throw new Error(`Report structure: closing ${type} while ${top?.type ?? 'nothing'} is open.`);
    this.open.pop();
    top.element?.end();
  }

  /** Runs `draw` inside a structure element. */
  within(type: string, draw: () => void, options: StructOptions = {}): void {
    this.begin(type, options);
    draw();
    this.end(type);
  }

  /** Closes every element down to (not including) the document: used between sections. */
  private closeTo(depth: number): void {
    while (this.open.length > depth) {
      const top = this.open.pop();
      top?.element?.end();
    }
  }

  /** Ends the structure tree; call once, after the last content and before `doc.end()`. */
  finish(): void {
    this.closeTo(0);
  }

  /** Marks what `draw` puts on the page as content of the current element (a P of its own inside a group). */
  private marked(draw: () => void): void {
    if (!this.tagged || this.rawDepth > 0) {
      draw();
      return;
    }
    const top = this.open.at(-1);
    if (!top?.element) {
      this.artifact(draw);
      return;
    }
    const leaf = GROUPING.has(top.type) ? 'P' : top.type;
    const content = this.doc.markStructureContent(leaf);
    draw();
    this.doc.endMarkedContent();
    if (leaf === top.type) top.element.add(content);
    else top.element.add(this.doc.struct(leaf, {}, [content]));
  }

  /** Draws decoration (a fill, a rule, page furniture) marked as an artifact, outside the structure. */
  artifact(draw: () => void, type: 'Pagination' | 'Layout' = 'Layout'): void {
    if (!this.tagged || this.rawDepth > 0) {
      draw();
      return;
    }
    this.doc.markContent('Artifact', { type });
    this.rawDepth++;
    try {
      draw();
    } finally {
      this.rawDepth--;
      this.doc.endMarkedContent();
    }
  }

  /**
   * A figure (chart, QR code, heatmap swatch) with its alternative text: drawn as one marked block,
   * so a screen reader reads `alt` instead of the shapes and labels inside it. `height` is reserved
   * first, so the figure never starts on one page and ends on the next.
   */
  figure(alt: string, height: number, draw: () => void): void {
    this.ensure(height);
    if (!this.tagged || this.rawDepth > 0) {
      draw();
      return;
    }
    const element = this.doc.struct('Figure', { alt });
    this.open.at(-1)?.element?.add(element);
    const content = this.doc.markStructureContent('Figure');
    this.rawDepth++;
    try {
      draw();
    } finally {
      this.rawDepth--;
      this.doc.endMarkedContent();
    }
    element.add(content);
    element.end();
  }

  // ---- Pages and flow ----

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
   * word is shaped once per document. Lines break only at spaces and tabs (a no-break space keeps
   * an identifier such as "ICU C9" whole); words wider than the line are cut after a hyphen where
   * they have one, else by character, so an unbroken string cannot leave its column.
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
          // A hyphenated name ("Ødegård-Łukasiewicz") breaks after its hyphen rather than mid-word.
          const hyphen = rest.lastIndexOf('-', n - 1);
          if (hyphen > 0 && hyphen + 1 < n) n = hyphen + 1;
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

  /** The largest size, from `style.size` down to `minSize`, at which every line of `text` fits `width` unwrapped. */
  fitSize(text: string, width: number, style: TextStyle = {}, minSize = 5.5): number {
    let size = style.size ?? 9.5;
    const widest = (s: number): number => Math.max(...text.split('\n').map((line) => this.widthOf(line, { ...style, size: s })));
    while (size > minSize && widest(size) > width - 0.5) size = Math.max(minSize, size - 0.25);
    return size;
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
    if (lines.some((line) => line.length > 0)) {
      this.marked(() => {
        lines.forEach((line, i) => {
          if (!line) return;
          const w = widths[i] ?? 0;
          const offset = align === 'left' ? 0 : Math.max(0, width - w) / (align === 'center' ? 2 : 1);
          // No `width`: pdfkit draws the line as given instead of wrapping it again. The trailing space
          // keeps every word in pdfkit's per-word glyph cache under the key it was measured with.
          const options = { lineBreak: false, textWidth: w } as PDFKit.Mixins.TextOptions;
          this.doc.text(`${line} `, x + offset, y + i * lh, options);
        });
      });
    }
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

  /** A horizontal rule (decoration). */
  rule(x: number, y: number, width: number, lineWidth: number, color: string): void {
    this.artifact(() => {
      this.doc.moveTo(x, y).lineTo(x + width, y).lineWidth(lineWidth).strokeColor(color).stroke();
    });
  }

  /** A flowing paragraph at the left margin; longer than a page is shortened to a page. */
  paragraph(text: string, style: TextStyle = {}, after = 6, x = MARGIN_X, width = CONTENT_W): void {
    const maxHeight = CONTENT_BOTTOM - CONTENT_TOP;
    const fitted = this.fitText(text, width, maxHeight, style);
    this.ensure(this.measure(fitted, width, style));
    this.within('P', () => {
      this.y += this.textAt(fitted, x, this.y, width, style) + after;
    });
  }

  /** A list: each item with its marker (`•`), or numbered when `marker` is the word 'number'. */
  bullets(items: string[], style: TextStyle = {}, marker = '•', maxItemHeight = 120): void {
    const indent = 14;
    this.begin('L');
    items.forEach((item, i) => {
      const width = CONTENT_W - indent;
      const fitted = this.fitText(item, width, maxItemHeight, style);
      this.ensure(this.measure(fitted, width, style));
      const top = this.y;
      this.begin('LI');
      this.within('Lbl', () => this.lineAt(marker === 'number' ? `${i + 1}.` : marker, MARGIN_X, top, indent, { ...style, bold: marker === 'number' }));
      this.within('LBody', () => {
        this.y = top + this.textAt(fitted, MARGIN_X + indent, top, width, style) + 3;
      });
      this.end('LI');
    });
    this.end('L');
  }

  /**
   * Section title on a fresh page or after a gap; kept with at least `keepWith` points of content.
   * Tagged: a Sect with an H1, holding everything drawn until the next section.
   */
  section(title: string, options: { newPage?: boolean; keepWith?: number } = {}): void {
    if (options.newPage) this.addPage();
    else {
      if (this.y > CONTENT_TOP) this.gap(14);
      this.ensure(34 + (options.keepWith ?? 90));
    }
    this.closeTo(this.tagged ? 1 : 0);
    this.begin('Sect');
    this.doc.outline.addItem(title);
    const top = this.y;
    let h = 0;
    this.within('H1', () => {
      h = this.textAt(title, MARGIN_X, top, CONTENT_W, { size: 15, bold: true, color: COLOR.brand });
    });
    const ruleY = top + h + 3;
    this.rule(MARGIN_X, ruleY, CONTENT_W, 1, COLOR.brand);
    this.y = ruleY + 9;
  }

  subheading(title: string, keepWith = 60): void {
    if (this.y > CONTENT_TOP) this.gap(6);
    this.ensure(18 + keepWith);
    this.within('H2', () => {
      this.y += this.textAt(title, MARGIN_X, this.y, CONTENT_W, { size: 11, bold: true, color: COLOR.ink }) + 4;
    });
  }

  /** Light box behind a block; the caller measures the block first. */
  box(x: number, y: number, w: number, h: number, fill: string, stroke: string | null = null): void {
    this.artifact(() => {
      this.doc.save();
      this.doc.rect(x, y, w, h).fillColor(fill);
      if (stroke) this.doc.lineWidth(0.75).fillAndStroke(fill, stroke);
      else this.doc.fill();
      this.doc.restore();
    });
  }

  /** Two-column label/value list; values wrap, labels are bold and muted. Tagged as a table with row headers. */
  keyValues(rows: [string, string][], labelWidth = 150, style: TextStyle = {}, x = MARGIN_X, width = CONTENT_W): void {
    const size = style.size ?? 9;
    const valueWidth = width - labelWidth;
    this.begin('Table');
    for (const [label, value] of rows) {
      const fitted = this.fitText(value, valueWidth, 160, { size });
      const h = Math.max(this.measure(label, labelWidth - 8, { size, bold: true }), this.measure(fitted, valueWidth, { size }));
      this.ensure(h + 4);
      const top = this.y;
      this.begin('TR');
      this.within('TH', () => this.textAt(label, x, top, labelWidth - 8, { size, bold: true, color: COLOR.muted }), { scope: 'Row' });
      this.within('TD', () => this.textAt(fitted, x + labelWidth, top, valueWidth, { size, color: style.color ?? COLOR.ink }));
      this.end('TR');
      this.y = top + h + 4;
    }
    this.end('Table');
  }

  /**
   * A table that breaks across pages with its header (and caption) repeated. Cells wrap; a row never
   * splits across pages: one that does not fit moves whole to the next page. Only a row taller than
   * a whole page continues on the next (its cells carry on line by line, under a repeated header).
   * Tagged: Table > (Caption) > TR > TH/TD; a repeated header and "(continued)" caption are artifacts.
   */
  table(columns: Column[], rows: (CellInput[] | TableRow)[], options: TableOptions = {}): void {
    const size = options.size ?? 8;
    const totalWidth = columns.reduce((sum, c) => sum + c.width, 0);
    const headerStyle: TextStyle = { size, bold: true, color: COLOR.ink };
    const headerHeight =
      Math.max(...columns.map((c) => this.measure(c.header, c.width - 2 * CELL_PAD_X, headerStyle))) + 2 * CELL_PAD_Y;
    const captionHeight = options.caption ? this.measure(options.caption, totalWidth, { size: 9.5, bold: true }) + 4 : 0;

    const drawHeader = (continued: boolean): void => {
      const draw = (): void => {
        if (options.caption) {
          const caption = continued ? `${options.caption} (continued)` : options.caption;
          const h = this.measure(caption, totalWidth, { size: 9.5, bold: true });
          if (continued) this.textAt(caption, MARGIN_X, this.y, totalWidth, { size: 9.5, bold: true });
          else this.within('Caption', () => this.textAt(caption, MARGIN_X, this.y, totalWidth, { size: 9.5, bold: true }));
          this.y += h + 4;
        }
        const top = this.y;
        this.box(MARGIN_X, top, totalWidth, headerHeight, COLOR.headerFill);
        const cells = (): void => {
          let x = MARGIN_X;
          for (const c of columns) {
            const cx = x;
            this.within(
              'TH',
              () => this.textAt(c.header, cx + CELL_PAD_X, top + CELL_PAD_Y, c.width - 2 * CELL_PAD_X, { ...headerStyle, align: c.align ?? 'left' }),
              { scope: 'Column' },
            );
            x += c.width;
          }
        };
        if (continued) cells();
        else this.within('TR', cells);
        this.y = top + headerHeight;
      };
      // The header repeated on a later page is page furniture: the structure has it once.
      if (continued) this.artifact(draw, 'Pagination');
      else draw();
    };

    const prepared = rows.map((row) => {
      const r: TableRow = Array.isArray(row) ? { cells: row } : row;
      const cells = columns.map((c, i) => {
        const raw = r.cells[i] ?? '';
        const cell: Cell = typeof raw === 'string' ? { text: raw } : raw;
        const indent = cell.indent ?? 0;
        const inner = c.width - 2 * CELL_PAD_X - indent;
        let style: TextStyle = { size: cell.size ?? size, bold: cell.bold ?? false, color: cell.color ?? COLOR.ink };
        if (cell.nowrap ?? c.nowrap) style = { ...style, size: this.fitSize(cell.text, inner, style) };
        const lines = this.wrap(cell.text, inner, style);
        const lh = this.lineHeight(style);
        return { cell, lines, style, lh, indent, inner, align: cell.align ?? c.align ?? 'left' };
      });
      const height = Math.max(...cells.map((c) => c.lines.length * c.lh)) + 2 * CELL_PAD_Y;
      return { row: r, cells, height };
    });

    // Keep the caption and header with the first row (or as much of a page-tall row as fits).
    const fullPage = CONTENT_BOTTOM - CONTENT_TOP;
    this.ensure(Math.min(fullPage, captionHeight + headerHeight + (prepared[0]?.height ?? 0)));
    this.begin('Table', options.summary ? { title: options.summary } : {});
    drawHeader(false);
    prepared.forEach(({ row, cells, height }, index) => {
      const fitsAPage = height <= fullPage - headerHeight - captionHeight;
      if (height > this.remaining() && (fitsAPage || this.remaining() < 4 * CELL_PAD_Y + 24)) {
        this.addPage();
        drawHeader(true);
      }
      const fill = row.fill ?? (options.zebra !== false && index % 2 === 1 ? COLOR.faint : null);
      const drawn = cells.map(() => 0); // lines of each cell drawn so far
      this.begin('TR');
      // One TD per cell, filled slice by slice and ended with the row.
      const parts = this.tagged ? cells.map(() => this.child('TD')) : [];
      // A page-tall row is drawn in slices, each as tall as the page allows.
      for (;;) {
        const top = this.y;
        const budget = this.remaining() - 2 * CELL_PAD_Y;
        const take = cells.map((c, i) => Math.min(c.lines.length - (drawn[i] ?? 0), Math.max(0, Math.floor((budget + 0.01) / c.lh))));
        const sliceH = Math.max(...cells.map((c, i) => (take[i] ?? 0) * c.lh)) + 2 * CELL_PAD_Y;
        const h = fitsAPage ? height : sliceH;
        if (fill) this.box(MARGIN_X, top, totalWidth, h, fill);
        let x = MARGIN_X;
        cells.forEach((c, i) => {
          const w = columns[i]?.width ?? 0;
          if (c.cell.fill) this.box(x, top, w, h, c.cell.fill);
          x += w;
        });
        if (row.marker) this.box(MARGIN_X, top, 2.5, h, COLOR.ink);
        x = MARGIN_X;
        cells.forEach((c, i) => {
          const w = columns[i]?.width ?? 0;
          const from = drawn[i] ?? 0;
          const count = take[i] ?? 0;
          if (c.cell.decorate && from === 0) {
            const decorate = c.cell.decorate;
            const cx = x;
            this.artifact(() => decorate(cx + CELL_PAD_X, top + CELL_PAD_Y, c.lh));
          }
          if (count > 0) {
            const part = parts[i];
            const lines = c.lines.slice(from, from + count);
            const draw = (): number =>
              this.drawLines(lines, x + CELL_PAD_X + c.indent, top + CELL_PAD_Y, c.inner, { ...c.style, align: c.align });
            if (part && this.tagged) this.into(part, draw);
            else draw();
          }
          drawn[i] = from + count;
          x += w;
        });
        this.rule(MARGIN_X, top + h, totalWidth, 0.4, COLOR.rule);
        this.y = top + h;
        if (cells.every((c, i) => (drawn[i] ?? 0) >= c.lines.length)) break;
        this.addPage();
        drawHeader(true);
      }
      for (const part of parts) part.element?.end();
      this.end('TR');
    });
    if (prepared.length === 0) {
      this.y += this.textAt('None.', MARGIN_X + CELL_PAD_X, this.y + CELL_PAD_Y, totalWidth, { size, color: COLOR.muted }) + 2 * CELL_PAD_Y;
    }
    this.end('Table');
    this.gap(6);
  }

  /** Draws text (drawLines marks it) as content of an element created earlier and still open. */
  private into(part: OpenElement, draw: () => void): void {
    this.open.push(part);
    try {
      draw();
    } finally {
      this.open.pop();
    }
  }
}
