/**
 * A file name safe to store and to send back in Content-Disposition: no path, no control or
 * shell-special characters, at most 120 characters, and ending in the extension of the type that
 * content sniffing found (ASVS 5.2.2: the extension matches the content).
 */
export function safeFileName(original: string | undefined, extension: string): string {
  const base = (original ?? '').split(/[\\/]/).pop() ?? '';
  let name = base
    .normalize('NFC')
    .replace(/[^\p{L}\p{N} ._()-]+/gu, '_')
    .replace(/\s+/g, ' ')
    .replace(/_+/g, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  name = (stem.length > 0 ? stem : 'evidence').slice(0, 100);
  return ext === extension ? `${name}.${ext}` : `${name}${ext ? `.${ext.slice(0, 10)}` : ''}.${extension}`;
}

/** RFC 6266 header: an ASCII fallback plus the UTF-8 name (RFC 5987 encoding). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
