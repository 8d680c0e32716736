import PDFDocument from 'pdfkit';

import { FONT_BOLD, FONT_REGULAR, parsedFonts } from './fonts.js';
import { Layout } from './layout.js';

/** The document information of a rendered PDF; extra keys are legal in PDF and feed pdfkit's trailer /ID. */
export type PdfInfo = PDFKit.DocumentInfo & Record<string, string | Date>;

/**
 * One PDF as every renderer of this library makes it (the board report, the drill record): PDF 1.7,
 * compressed, en-GB, the title shown, the embedded fonts registered, pages buffered so `draw` can
 * decorate them after layout.finish(). `draw` lays out the whole document; its throw rejects.
 */
export function renderPdf(info: PdfInfo, tagged: boolean, draw: (layout: Layout) => void): Promise<Buffer> {
  const doc = new PDFDocument({
    autoFirstPage: false,
    bufferPages: true,
    pdfVersion: '1.7',
    compress: true,
    lang: 'en-GB',
    displayTitle: true,
    tagged,
    info,
  });
  const fonts = parsedFonts();
  // @types/pdfkit only lists file sources; pdfkit itself also takes a parsed font (see fonts.ts).
  doc.registerFont(FONT_REGULAR, fonts.regular as Buffer);
  doc.registerFont(FONT_BOLD, fonts.bold as Buffer);
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      draw(new Layout(doc, tagged));
      doc.end();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
