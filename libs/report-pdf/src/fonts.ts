import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

// DejaVu Sans covers every Latin script (and Greek/Cyrillic), ships with the project as an npm
// package and embeds as a subset, so nothing comes from the system or the network. Resolved through
// the package, not a relative path, so the built dist and the jest sources find the same files.
const require = createRequire(import.meta.url);

export const FONT_REGULAR = 'DejaVuSans';
export const FONT_BOLD = 'DejaVuSans-Bold';

interface FontFiles {
  regular: Buffer;
  bold: Buffer;
}

let cached: FontFiles | null = null;

/** Read once per process: re-reading 700 KB per report would dominate small renders. */
export function fontFiles(): FontFiles {
  cached ??= {
    regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  };
  return cached;
}

/** What pdfkit accepts as a font source; it also takes a parsed fontkit font (anything with `layout`). */
export type FontSource = Buffer | { layout: unknown };

interface ParsedFonts {
  regular: FontSource;
  bold: FontSource;
}

let parsed: ParsedFonts | null = null;

/**
 * Parsed fonts shared by every document in the process. pdfkit re-parses a TTF buffer for each
 * document (about a third of a report's render time and most of its garbage); it also accepts an
 * already parsed fontkit font and makes a fresh subset from it per document, so the output bytes
 * are unchanged. fontkit is not a dependency of ours, so the parsed font is taken from a throwaway
 * document; if pdfkit ever stops exposing it, we fall back to the buffers.
 */
export function parsedFonts(): ParsedFonts {
  if (parsed) return parsed;
  const files = fontFiles();
  const extract = (buffer: Buffer): FontSource => {
    const probe = new PDFDocument({ autoFirstPage: false });
    probe.font(buffer);
    const font = (probe as unknown as { _font?: { font?: { layout?: unknown } } })._font?.font;
    return font && typeof font.layout === 'function' ? (font as unknown as FontSource) : buffer;
  };
  parsed = { regular: extract(files.regular), bold: extract(files.bold) };
  return parsed;
}
