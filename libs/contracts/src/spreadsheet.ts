/**
 * One formula-injection rule for every spreadsheet the product writes: the actions CSV export and
 * the XLSX registers (issue 25). OWASP "CSV injection": a text cell whose first character is one of
 * = + - @ TAB CR is run as a formula by Excel, LibreOffice or Sheets when typed, pasted or re-saved
 * as CSV, so such text gets a leading apostrophe and stays text. Numbers and dates are values and are
 * never passed through this. Pure (platform:agnostic): data in, data out.
 */
export const SPREADSHEET_FORMULA_START = /^[=+\-@\t\r]/;

/** The text as a spreadsheet may safely hold it: prefixed with ' when it would start a formula. */
export function spreadsheetSafeText(text: string): string {
  return SPREADSHEET_FORMULA_START.test(text) ? `'${text}` : text;
}
