import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { create, type Font } from 'fontkit';

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

/**
 * A parsed font, as pdfkit accepts it: "already-parsed fontkit `Font` instances in `doc.font()` and
 * `registerFont`" (pdfkit's CHANGELOG, 0.17). Its type declarations list only paths and buffers.
 */
export type FontSource = Buffer | Font;

interface ParsedFonts {
  regular: FontSource;
  bold: FontSource;
}

let parsed: ParsedFonts | null = null;

/**
 * Parsed fonts shared by every document in the process. pdfkit re-parses a TTF buffer for each
 * document (about a third of a report's render time and most of its garbage); given a font fontkit
 * (pdfkit's own font engine, the version pdfkit depends on) has parsed, it makes a fresh subset from
 * it per document, so the output bytes are unchanged.
 */
export function parsedFonts(): ParsedFonts {
  if (parsed) return parsed;
  const files = fontFiles();
  const parse = (buffer: Buffer): FontSource => {
    const font = create(buffer);
    // A .ttf is one font; only a collection (.ttc) would need a name to pick one.
    return 'layout' in font ? font : buffer;
  };
  parsed = { regular: parse(files.regular), bold: parse(files.bold) };
  return parsed;
}
