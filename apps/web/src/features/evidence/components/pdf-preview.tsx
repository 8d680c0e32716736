import { useEffect, useRef, useState } from 'react';

import { Alert } from '@/components/ui/alert';
import { describeError } from '@/lib/api-client';
import { fetchEvidenceContent } from '../api/evidence';
import type { AppMessage, FrameMessage } from '../preview-frame/protocol';

/** The preview page, a separate Vite entry: pdf.js lives only there, never in the app's own JS. */
export const PREVIEW_FRAME_URL = '/evidence-preview.html';

export interface PdfPreviewProps {
  orgId: string;
  evidenceId: string;
  fileName: string;
  /** The bytes arrived, so the server has recorded the open (GET …/content records it). */
  onOpened?: (() => void) | undefined;
}

type State = { kind: 'loading' } | { kind: 'rendered'; pages: number; renderedPages: number } | { kind: 'failed'; message: string };

/**
 * A PDF shown in the browser with nothing in it allowed to run: pdf.js renders it inside
 * `<iframe sandbox="allow-scripts">` without allow-same-origin, so the frame has an opaque origin and
 * cannot reach this page, its cookies or the API. This component fetches the bytes with the
 * member's session and transfers them to the frame; the frame itself fetches nothing (its CSP says
 * connect-src 'none', apps/api/src/common/security-headers.ts).
 */
export function PdfPreview({ orgId, evidenceId, fileName, onOpened }: PdfPreviewProps) {
  const frameRef = useRef<HTMLIFrameElement>(null);
  const [state, setState] = useState<State>({ kind: 'loading' });
  const opened = useRef(onOpened);
  opened.current = onOpened;

  useEffect(() => {
    const controller = new AbortController();
    let frameReady = false;
    let bytes: ArrayBuffer | null = null;
    const send = () => {
      const target = frameRef.current?.contentWindow;
      if (!frameReady || !bytes || !target) return;
      const message: AppMessage = { type: 'hoh-preview-render', bytes, fileName };
      // '*': an opaque origin has no name to target; event.source checks guard the other direction.
      target.postMessage(message, '*', [bytes]);
      bytes = null;
    };
    const onMessage = (event: MessageEvent<FrameMessage>) => {
      if (!frameRef.current || event.source !== frameRef.current.contentWindow) return;
      const data = event.data;
      if (data?.type === 'hoh-preview-ready') {
        frameReady = true;
        send();
      } else if (data?.type === 'hoh-preview-rendered') {
        setState({ kind: 'rendered', pages: data.pages, renderedPages: data.renderedPages });
      } else if (data?.type === 'hoh-preview-failed') {
        setState({ kind: 'failed', message: data.message });
      }
    };
    window.addEventListener('message', onMessage);
    fetchEvidenceContent(orgId, evidenceId, controller.signal)
      .then(async (blob) => {
        opened.current?.();
        bytes = await blob.arrayBuffer();
        send();
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ kind: 'failed', message: describeError(error) });
      });
    return () => {
      controller.abort();
      window.removeEventListener('message', onMessage);
    };
  }, [orgId, evidenceId, fileName]);

  return (
    <div className="pdf-preview">
      <iframe
        ref={frameRef}
        className="pdf-preview__frame"
        src={PREVIEW_FRAME_URL}
        sandbox="allow-scripts"
        referrerPolicy="no-referrer"
        title={`Preview of ${fileName}`}
      />
      <p className="small muted" role="status" aria-live="polite">
        {state.kind === 'loading' ? 'Loading the preview…' : null}
        {state.kind === 'rendered'
          ? state.renderedPages < state.pages
            ? `Showing ${String(state.renderedPages)} of ${String(state.pages)} pages; download the file for the rest.`
            : `${String(state.pages)} ${state.pages === 1 ? 'page' : 'pages'}. Links and scripts in the file are not active here.`
          : null}
      </p>
      {state.kind === 'failed' ? (
        <Alert tone="error" title="No preview">
          {state.message}
        </Alert>
      ) : null}
    </div>
  );
}
