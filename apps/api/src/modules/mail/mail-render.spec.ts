import { absoluteLink, renderMail } from './mail-render.js';
import { retryDelaySeconds } from './mail-sender.js';

describe('mail rendering', () => {
  it('puts the link back in the text and as the one anchor of simple HTML, with no images', () => {
    const { text, html } = renderMail('Hello <Dana> & co,\n\nAccept: {{link}}\nThanks', 'https://hoh.example.org/invitations/t?a=1&b=2');
    expect(text).toBe('Hello <Dana> & co,\n\nAccept: https://hoh.example.org/invitations/t?a=1&b=2\nThanks');
    expect(html).toContain('Hello &lt;Dana&gt; &amp; co,');
    expect(html).toContain('<a href="https://hoh.example.org/invitations/t?a=1&amp;b=2">');
    expect(html).not.toMatch(/<img|src=|url\(/i);
  });

  it('builds links under PUBLIC_URL, path included', () => {
    expect(absoluteLink('https://hoh.example.org/board/', '/reset-password#token=x')).toBe('https://hoh.example.org/board/reset-password#token=x');
  });

  it('backs off 1, 2, 4, 8, 16 minutes between tries, never more than an hour', () => {
    expect([1, 2, 3, 4, 5, 10].map(retryDelaySeconds)).toEqual([60, 120, 240, 480, 960, 3600]);
  });
});
