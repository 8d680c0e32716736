import { parsedFonts } from './fonts.js';

describe('parsed fonts', () => {
  it('hands pdfkit fonts fontkit has parsed (not the buffers), once per process', () => {
    const fonts = parsedFonts();
    expect(Buffer.isBuffer(fonts.regular)).toBe(false);
    expect(Buffer.isBuffer(fonts.bold)).toBe(false);
    expect(parsedFonts()).toBe(fonts);
  });
});
