// pdfjs-dist ships no types for its worker bundle; the preview frame uses only this export.
declare module 'pdfjs-dist/build/pdf.worker.mjs' {
  export const WorkerMessageHandler: unknown;
}
