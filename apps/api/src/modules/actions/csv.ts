import { spreadsheetSafeText } from '@hoh/contracts';

/** A cell: text is escaped against formula injection; numbers, booleans and dates are written as values. */
export type CsvCell = string | number | boolean | null | { date: string };

function cell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // Dates are values a spreadsheet should parse, never formulas.
  let text = typeof value === 'object' ? value.date : value;
  // OWASP CSV injection: the rule shared with the XLSX registers (libs/contracts/src/spreadsheet.ts).
  if (typeof value === 'string') text = spreadsheetSafeText(text);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV with CRLF line ends and a UTF-8 BOM so spreadsheets read accents correctly. */
export function toCsv(header: string[], rows: CsvCell[][]): string {
  return `\uFEFF${[header.map(cell), ...rows.map((r) => r.map(cell))].map((r) => r.join(',')).join('\r\n')}\r\n`;
}
