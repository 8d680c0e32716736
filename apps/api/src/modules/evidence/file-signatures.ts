/**
 * Magic-byte signatures of formats evidence must never be. Pure data and pure functions: the sniffer
 * uses them on whole uploads, on the first bytes of every part inside an office document, on the
 * first bytes of every PDF stream and on base64 blobs inside text.
 */

export type SignatureCategory = 'image' | 'video' | 'audio' | 'archive' | 'executable' | 'document';

export interface FileSignature {
  label: string;
  category: SignatureCategory;
  /**
   * Weak signatures are two or three printable bytes ("MZ", "BM", "BZh"…): a file that is valid text
   * is never reclassified by them, so "BMX policy.txt" stays text.
   */
  weak?: boolean;
  test: (b: Buffer) => boolean;
}

const bytesAt = (b: Buffer, offset: number, expected: readonly number[]): boolean => {
  if (b.length < offset + expected.length) return false;
  for (let i = 0; i < expected.length; i += 1) if (b[offset + i] !== expected[i]) return false;
  return true;
};
const asciiAt = (b: Buffer, offset: number, text: string): boolean =>
  bytesAt(
    b,
    offset,
    [...text].map((c) => c.charCodeAt(0)),
  );
const ascii = (b: Buffer, offset: number, length: number): string => (b.length >= offset + length ? b.toString('latin1', offset, offset + length) : '');

// ISO-BMFF (`....ftyp<brand>`): the major brand tells pictures (HEIC/AVIF) from sound and film.
const IMAGE_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1', 'avif', 'avis', 'jxl ', 'crx ']);
const AUDIO_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ', 'F4A ', 'F4B ']);
const ftypBrand = (b: Buffer): string | null => (asciiAt(b, 4, 'ftyp') ? ascii(b, 8, 4) : null);

const riff = (b: Buffer, form: string) => asciiAt(b, 0, 'RIFF') && asciiAt(b, 8, form);

export const SIGNATURES: readonly FileSignature[] = [
  // Pictures
  { label: 'PNG image', category: 'image', test: (b) => bytesAt(b, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { label: 'JPEG image', category: 'image', test: (b) => bytesAt(b, 0, [0xff, 0xd8, 0xff]) },
  { label: 'GIF image', category: 'image', test: (b) => asciiAt(b, 0, 'GIF87a') || asciiAt(b, 0, 'GIF89a') },
  { label: 'WebP image', category: 'image', test: (b) => riff(b, 'WEBP') },
  { label: 'TIFF image', category: 'image', test: (b) => bytesAt(b, 0, [0x49, 0x49, 0x2a, 0x00]) || bytesAt(b, 0, [0x4d, 0x4d, 0x00, 0x2a]) || bytesAt(b, 0, [0x49, 0x49, 0x2b, 0x00]) },
  { label: 'HEIC/AVIF image', category: 'image', test: (b) => IMAGE_BRANDS.has(ftypBrand(b) ?? '') },
  { label: 'ICO/CUR icon', category: 'image', test: (b) => bytesAt(b, 0, [0x00, 0x00, 0x01, 0x00]) || bytesAt(b, 0, [0x00, 0x00, 0x02, 0x00]) },
  { label: 'JPEG 2000 image', category: 'image', test: (b) => bytesAt(b, 0, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20]) || bytesAt(b, 0, [0xff, 0x4f, 0xff, 0x51]) },
  { label: 'JPEG XL image', category: 'image', test: (b) => bytesAt(b, 0, [0xff, 0x0a]) || bytesAt(b, 0, [0x00, 0x00, 0x00, 0x0c, 0x4a, 0x58, 0x4c, 0x20]) },
  { label: 'Photoshop image', category: 'image', weak: true, test: (b) => asciiAt(b, 0, '8BPS') },
  { label: 'QOI image', category: 'image', weak: true, test: (b) => asciiAt(b, 0, 'qoif') },
  { label: 'OpenEXR image', category: 'image', test: (b) => bytesAt(b, 0, [0x76, 0x2f, 0x31, 0x01]) },
  { label: 'DDS texture', category: 'image', weak: true, test: (b) => asciiAt(b, 0, 'DDS ') },
  { label: 'IFF image', category: 'image', test: (b) => asciiAt(b, 0, 'FORM') && (asciiAt(b, 8, 'ILBM') || asciiAt(b, 8, 'PBM ')) },
  { label: 'Windows metafile picture', category: 'image', test: (b) => bytesAt(b, 0, [0xd7, 0xcd, 0xc6, 0x9a]) || (bytesAt(b, 0, [0x01, 0x00, 0x00, 0x00]) && asciiAt(b, 40, ' EMF')) },
  { label: 'BMP image', category: 'image', weak: true, test: (b) => asciiAt(b, 0, 'BM') && b.length >= 18 },

  // Film
  { label: 'MP4/QuickTime video', category: 'video', test: (b) => { const brand = ftypBrand(b); return brand !== null && !IMAGE_BRANDS.has(brand) && !AUDIO_BRANDS.has(brand); } },
  { label: 'QuickTime video', category: 'video', test: (b) => ['moov', 'mdat', 'wide', 'free', 'skip', 'pnot'].some((atom) => asciiAt(b, 4, atom)) && b.readUInt32BE(0) >= 8 && b.readUInt32BE(0) < 0x10000000 },
  { label: 'WebM/Matroska video', category: 'video', test: (b) => bytesAt(b, 0, [0x1a, 0x45, 0xdf, 0xa3]) },
  { label: 'AVI video', category: 'video', test: (b) => riff(b, 'AVI ') },
  { label: 'FLV video', category: 'video', test: (b) => asciiAt(b, 0, 'FLV') && b[3] === 0x01 },
  { label: 'ASF/WMV video', category: 'video', test: (b) => bytesAt(b, 0, [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11]) },
  { label: 'MPEG program stream', category: 'video', test: (b) => bytesAt(b, 0, [0x00, 0x00, 0x01, 0xba]) || bytesAt(b, 0, [0x00, 0x00, 0x01, 0xb3]) },
  { label: 'MPEG transport stream', category: 'video', weak: true, test: (b) => b.length > 188 && b[0] === 0x47 && b[188] === 0x47 },
  { label: 'RealMedia video', category: 'video', weak: true, test: (b) => asciiAt(b, 0, '.RMF') },
  { label: 'RIFF media', category: 'video', test: (b) => asciiAt(b, 0, 'RIFF') && !riff(b, 'WAVE') && !riff(b, 'WEBP') },

  // Sound
  { label: 'WAV audio', category: 'audio', test: (b) => riff(b, 'WAVE') },
  { label: 'M4A audio', category: 'audio', test: (b) => AUDIO_BRANDS.has(ftypBrand(b) ?? '') },
  { label: 'Ogg media', category: 'audio', weak: true, test: (b) => asciiAt(b, 0, 'OggS') },
  { label: 'FLAC audio', category: 'audio', weak: true, test: (b) => asciiAt(b, 0, 'fLaC') },
  { label: 'AIFF audio', category: 'audio', test: (b) => asciiAt(b, 0, 'FORM') && (asciiAt(b, 8, 'AIFF') || asciiAt(b, 8, 'AIFC')) },
  { label: 'MIDI audio', category: 'audio', weak: true, test: (b) => asciiAt(b, 0, 'MThd') },
  { label: 'AU audio', category: 'audio', weak: true, test: (b) => asciiAt(b, 0, '.snd') },
  { label: 'CAF audio', category: 'audio', weak: true, test: (b) => asciiAt(b, 0, 'caff') },
  { label: "Monkey's Audio", category: 'audio', weak: true, test: (b) => asciiAt(b, 0, 'MAC ') },
  { label: 'WavPack audio', category: 'audio', weak: true, test: (b) => asciiAt(b, 0, 'wvpk') },
  { label: 'MP3 audio (ID3)', category: 'audio', weak: true, test: (b) => asciiAt(b, 0, 'ID3') && b.length >= 10 },
  { label: 'MPEG audio', category: 'audio', weak: true, test: (b) => b.length >= 4 && b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0 },

  // Archives and disk images
  { label: 'ZIP archive', category: 'archive', test: (b) => bytesAt(b, 0, [0x50, 0x4b, 0x03, 0x04]) || bytesAt(b, 0, [0x50, 0x4b, 0x05, 0x06]) || bytesAt(b, 0, [0x50, 0x4b, 0x07, 0x08]) },
  { label: 'RAR archive', category: 'archive', test: (b) => asciiAt(b, 0, 'Rar!\x1a\x07') },
  { label: '7-Zip archive', category: 'archive', test: (b) => bytesAt(b, 0, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]) },
  { label: 'gzip archive', category: 'archive', test: (b) => bytesAt(b, 0, [0x1f, 0x8b]) && b.length >= 10 && b[2] === 0x08 },
  { label: 'xz archive', category: 'archive', test: (b) => bytesAt(b, 0, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) },
  { label: 'Zstandard archive', category: 'archive', test: (b) => bytesAt(b, 0, [0x28, 0xb5, 0x2f, 0xfd]) },
  { label: 'LZ4 archive', category: 'archive', test: (b) => bytesAt(b, 0, [0x04, 0x22, 0x4d, 0x18]) },
  { label: 'Unix compress archive', category: 'archive', test: (b) => bytesAt(b, 0, [0x1f, 0x9d]) || bytesAt(b, 0, [0x1f, 0xa0]) },
  { label: 'tar archive', category: 'archive', weak: true, test: (b) => asciiAt(b, 257, 'ustar') },
  { label: 'Cabinet archive', category: 'archive', weak: true, test: (b) => asciiAt(b, 0, 'MSCF') },
  { label: 'lzip archive', category: 'archive', weak: true, test: (b) => asciiAt(b, 0, 'LZIP') },
  { label: 'XAR archive', category: 'archive', weak: true, test: (b) => asciiAt(b, 0, 'xar!') },
  { label: 'ARJ archive', category: 'archive', test: (b) => bytesAt(b, 0, [0x60, 0xea]) && b.length > 10 },
  { label: 'LHA archive', category: 'archive', weak: true, test: (b) => asciiAt(b, 2, '-lh') },
  { label: 'ISO disk image', category: 'archive', test: (b) => asciiAt(b, 0x8001, 'CD001') },
  { label: 'bzip2 archive', category: 'archive', weak: true, test: (b) => asciiAt(b, 0, 'BZh') && b.length >= 10 },

  // Programs
  { label: 'ELF executable', category: 'executable', test: (b) => bytesAt(b, 0, [0x7f, 0x45, 0x4c, 0x46]) },
  { label: 'Mach-O executable', category: 'executable', test: (b) => [[0xfe, 0xed, 0xfa, 0xce], [0xfe, 0xed, 0xfa, 0xcf], [0xce, 0xfa, 0xed, 0xfe], [0xcf, 0xfa, 0xed, 0xfe]].some((m) => bytesAt(b, 0, m)) },
  { label: 'Mach-O universal binary or Java class', category: 'executable', test: (b) => bytesAt(b, 0, [0xca, 0xfe, 0xba, 0xbe]) },
  { label: 'WebAssembly module', category: 'executable', test: (b) => bytesAt(b, 0, [0x00, 0x61, 0x73, 0x6d]) },
  { label: 'Android DEX', category: 'executable', weak: true, test: (b) => asciiAt(b, 0, 'dex\n') },
  { label: 'Windows shortcut', category: 'executable', test: (b) => bytesAt(b, 0, [0x4c, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00]) },
  { label: 'Windows executable (MZ/PE)', category: 'executable', weak: true, test: (b) => asciiAt(b, 0, 'MZ') },

  // Documents that are not accepted as they stand
  { label: 'legacy Office (OLE2) file', category: 'document', test: (b) => bytesAt(b, 0, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) },
  { label: 'encapsulated PostScript', category: 'document', test: (b) => bytesAt(b, 0, [0xc5, 0xd0, 0xd3, 0xc6]) },
];

/** The first matching signature; weak ones only when `includeWeak` (i.e. the bytes are not text). */
export function identifySignature(head: Buffer, includeWeak = true): FileSignature | undefined {
  return SIGNATURES.find((s) => (includeWeak || !s.weak) && s.test(head));
}

export const isPdf = (b: Buffer) => asciiAt(b, 0, '%PDF-');
export const isZip = (b: Buffer) => bytesAt(b, 0, [0x50, 0x4b, 0x03, 0x04]) || bytesAt(b, 0, [0x50, 0x4b, 0x05, 0x06]);
