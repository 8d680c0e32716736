/**
 * Messages between the app and the sandboxed PDF preview frame (evidence-preview.html). Types only:
 * importing values here from both sides would make Vite share a chunk between the app's initial JS
 * and the preview entry.
 *
 * The frame has an opaque origin (sandbox="allow-scripts", no allow-same-origin), so neither side
 * can name the other's origin: each checks `event.source` instead, and nothing secret is ever sent
 * to the frame beyond the file's bytes.
 */

/** Frame → app. */
export type FrameMessage =
  | { type: 'hoh-preview-ready' }
  | { type: 'hoh-preview-rendered'; pages: number; renderedPages: number }
  | { type: 'hoh-preview-failed'; message: string };

/** App → frame: the PDF's bytes (transferred, not copied) and the frame's width to fit pages into. */
export type AppMessage = { type: 'hoh-preview-render'; bytes: ArrayBuffer; fileName: string };
