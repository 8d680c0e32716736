/** The placeholder a stored message body carries where its link goes; the link itself is sealed apart. */
export const LINK_PLACEHOLDER = '{{link}}';

/** PUBLIC_URL (which may carry a path) joined with an app path, without doubling the slash. */
export function absoluteLink(publicUrl: string, path: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * A stored body with its link put back, as plain text and simple HTML. The HTML is the text,
 * escaped, paragraph by paragraph, with the one link as an anchor: no images, styles from elsewhere
 * or tracking pixels (docs/SECURITY.md, "Mail and secrets"), so it reads the same in any client.
 */
export function renderMail(body: string, link: string | null): { text: string; html: string } {
  const text = link === null ? body : body.split(LINK_PLACEHOLDER).join(link);
  const paragraphs = body.split(/\n{2,}/).map((paragraph) => {
    const pieces = paragraph.split(LINK_PLACEHOLDER).map((piece) => escapeHtml(piece).replace(/\n/g, '<br>'));
    const anchor = link === null ? '' : `<a href="${escapeHtml(link)}">${escapeHtml(link)}</a>`;
    return `<p>${pieces.join(anchor)}</p>`;
  });
  return { text, html: `<!doctype html><html><body style="font-family:sans-serif">${paragraphs.join('\n')}</body></html>` };
}
