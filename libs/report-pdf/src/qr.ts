import qrcode from 'qrcode-generator';

// The verify-page QR code (issue 25 item 3), drawn as vector rectangles: no raster image, so the
// bytes are the same on every machine and the code stays sharp at any print size.

/** Dark modules of the QR code for `text`, row by row (error correction M: survives a crease or smudge). */
export function qrModules(text: string): boolean[][] {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  return Array.from({ length: n }, (_, row) => Array.from({ length: n }, (_, col) => qr.isDark(row, col)));
}

/**
 * Draws the QR code for `text` with its top-left corner at (x, y), `size` points wide including the
 * four-module quiet zone the standard asks for. Runs of dark modules in a row are one rectangle each,
 * filled together as one path.
 */
export function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const modules = qrModules(text);
  const n = modules.length;
  const unit = size / (n + 8);
  doc.save();
  doc.rect(x, y, size, size).fillColor('#ffffff').fill();
  modules.forEach((row, r) => {
    let c = 0;
    while (c < n) {
      if (!row[c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && row[c]) c++;
      doc.rect(x + (start + 4) * unit, y + (r + 4) * unit, (c - start) * unit, unit);
    }
  });
  doc.fillColor('#000000').fill();
  doc.restore();
}
