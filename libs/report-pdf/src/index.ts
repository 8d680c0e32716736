// The board-ready PDF renderer (pure ReportModel → bytes with pdfkit) lands with the reports issue.
// The project exists now so module boundaries and the build graph are in place from day one.
export const REPORT_PDF_LIB = '@hoh/report-pdf';
