import type { SniffRefused } from './content-sniffer.js';

/** Where the web app explains what to do with suspected child sexual abuse material. */
export const FOUND_SUSPECTED_MATERIAL_PATH = '/found-suspected-material';

const INSTEAD =
  'Upload a PDF or office document (Word, Excel, PowerPoint or OpenDocument) of the policy, configuration or KPI export, a CSV or plain-text export, or add the evidence as an external reference (a URL or document id in your own system).';

const SAFETY = `Never upload images, video or audio of people, and never upload suspected child sexual abuse material: do not copy or send it; report it (in the UK to the IWF, in the US to NCMEC, elsewhere to your national hotline or police) and see ${FOUND_SUSPECTED_MATERIAL_PATH} for what to do.`;

/** The 415 message: what was found, what to upload instead, and the never-upload-abuse-material line. */
export function refusalMessage(refusal: SniffRefused): string {
  return `This file cannot be stored as evidence. ${refusal.reason}. ${INSTEAD} ${SAFETY}`;
}
