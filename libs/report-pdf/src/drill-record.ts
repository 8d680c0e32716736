import { createHash } from 'node:crypto';

import { canonicalJson } from '@hoh/question-bank';

import { formatDateTime, timeOf } from './format.js';
import { COLOR, CONTENT_W, type Layout, MARGIN_X, PAGE_H, type TableRow } from './layout.js';
import { type PdfInfo, renderPdf } from './pdf-document.js';

/**
 * The drill record (issue 30 item 3, docs/PRODUCT.md §15.4): what a finished drill leaves behind as
 * `exercise` evidence. The API gathers this model from the drill's timeline and the scenario; this
 * renders it, deterministically: the same model gives the same bytes (dates come from `finishedAt`,
 * the trailer /ID from the info dictionary, which carries the model's digest).
 */
export interface DrillRecordModel {
  drillId: string;
  organisation: { id: string; name: string };
  scenario: {
    id: string;
    title: string;
    setting: string;
    summary: string;
    libraryVersion: string;
    legalReferences: { label: string; url: string }[];
    sources: { url: string; why: string }[];
  };
  facilitator: string;
  participants: { name: string; role: string }[];
  startedAt: string;
  finishedAt: string;
  /** Drill time at the finish, pauses left out. */
  elapsedMs: number;
  milestones: { label: string; elapsedMs: number | null; decision: string }[];
  timeline: { elapsedMs: number; at: string; who: string; what: string }[];
  /** Per decision of every revealed inject: what was expected and what happened. */
  decisions: {
    inject: string;
    prompt: string;
    role: string;
    goodPractice: string[];
    responses: { who: string; elapsedMs: number; text: string; rating: string | null; mistakes: string[] }[];
  }[];
  /** Injects the drill finished without revealing. */
  notReached: string[];
  lessons: string[];
  followUps: string[];
  exercisedQuestions: { id: string; text: string }[];
  /** Where the record is linked: the open assessment's name, or why it is not linked. */
  linkedTo: string;
}

export class DrillRecordModelError extends Error {
  override name = 'DrillRecordModelError';
}

export function drillRecordDigest(model: DrillRecordModel): string {
  return createHash('sha256').update(canonicalJson(model)).digest('hex');
}

/** Drill time as h:mm:ss (or m:ss under an hour), by hand so no locale data is involved. */
export function formatDrillTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

const RATING_WORDS: Record<string, string> = { as_expected: 'As expected', partly: 'Partly', missed: 'Missed' };

function decorate(layout: Layout, model: DrillRecordModel): void {
  const doc = layout.doc;
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    layout.artifact(() => {
      layout.lineAt(`Hand on Heart · ${model.organisation.name}`, MARGIN_X, 40, CONTENT_W - 160, { size: 7.5, bold: true, color: COLOR.muted });
      layout.lineAt(`Drill record ${model.drillId.slice(0, 8)}`, MARGIN_X + CONTENT_W - 150, 40, 150, { size: 7.5, color: COLOR.muted, align: 'right' });
      doc.moveTo(MARGIN_X, 52).lineTo(MARGIN_X + CONTENT_W, 52).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
      const footerY = PAGE_H - 62;
      doc.moveTo(MARGIN_X, footerY - 5).lineTo(MARGIN_X + CONTENT_W, footerY - 5).lineWidth(0.5).strokeColor(COLOR.rule).stroke();
      const small = { size: 6.5, color: COLOR.muted };
      layout.lineAt('A tabletop exercise record: words only, never material.', MARGIN_X, footerY, CONTENT_W, small);
      layout.lineAt('Exercise evidence: it counts once someone other than the facilitator has opened and accepted it.', MARGIN_X, footerY + 9, CONTENT_W, small);
      layout.lineAt(`Finished ${formatDateTime(model.finishedAt)} · Page ${i - range.start + 1} of ${range.count}`, MARGIN_X, footerY + 18, CONTENT_W, small);
    }, 'Pagination');
  }
}

function render(layout: Layout, model: DrillRecordModel): void {
  layout.addPage();
  layout.section(`Drill record: ${model.scenario.title}`);
  layout.paragraph(model.scenario.summary, { size: 9.5 });
  layout.keyValues([
    ['Organisation', model.organisation.name],
    ['Scenario', `${model.scenario.id} (${model.scenario.setting.replaceAll('_', ' ')}), drill library ${model.scenario.libraryVersion}`],
    ['Facilitator', model.facilitator],
    ['Participants', model.participants.map((p) => `${p.name} (${p.role})`).join('; ')],
    ['Started', formatDateTime(model.startedAt)],
    ['Finished', formatDateTime(model.finishedAt)],
    ['Drill time', `${formatDrillTime(model.elapsedMs)} (pauses left out)`],
    ['Linked to', model.linkedTo],
  ]);

  layout.section('Times that matter');
  layout.table(
    [
      { header: 'Milestone', width: 120 },
      { header: 'Drill time', width: 70, align: 'right' },
      { header: 'Decision that marks it', width: CONTENT_W - 190 },
    ],
    model.milestones.map((m) => [m.label, m.elapsedMs === null ? 'not reached' : formatDrillTime(m.elapsedMs), m.decision]),
    { summary: 'Drill time to escalation, isolation and the report decision' },
  );

  layout.section('Decisions against good practice');
  if (model.decisions.length === 0) layout.paragraph('No injects were revealed.', { color: COLOR.muted });
  for (const d of model.decisions) {
    layout.subheading(`${d.inject}: ${d.prompt}`, 80);
    layout.paragraph(`Role: ${d.role}. Expected good practice:`, { size: 8.5, color: COLOR.muted }, 3);
    layout.bullets(d.goodPractice, { size: 8.5 });
    if (d.responses.length === 0) {
      layout.paragraph('No decision was recorded for this step.', { size: 8.5, bold: true, color: COLOR.alert });
      continue;
    }
    const rows: TableRow[] = d.responses.map((r) => ({
      cells: [formatDrillTime(r.elapsedMs), r.who, r.text, r.rating === null ? 'not rated' : (RATING_WORDS[r.rating] ?? r.rating), r.mistakes.join('; ') || 'none'],
      marker: r.mistakes.length > 0 || r.rating === 'missed',
    }));
    layout.table(
      [
        { header: 'Time', width: 42, align: 'right' },
        { header: 'Decided by', width: 80 },
        { header: 'What was decided', width: CONTENT_W - 42 - 80 - 60 - 110 },
        { header: 'Against practice', width: 60 },
        { header: 'Mistakes made', width: 110 },
      ],
      rows,
      { size: 7.5 },
    );
  }
  if (model.notReached.length > 0) {
    layout.subheading('Not reached');
    layout.bullets(model.notReached.map((t) => `${t} (the drill finished before this inject was revealed)`), { size: 8.5 });
  }

  layout.section('Timeline');
  layout.table(
    [
      { header: 'Drill time', width: 52, align: 'right' },
      { header: 'Clock', width: 110 },
      { header: 'Who', width: 90 },
      { header: 'What', width: CONTENT_W - 252 },
    ],
    model.timeline.map((e) => [formatDrillTime(e.elapsedMs), formatDateTime(e.at), e.who, e.what]),
    { size: 7.5, zebra: true, summary: 'Every step of the drill in order' },
  );

  layout.section('Lessons and follow-up actions');
  layout.subheading('Lessons');
  if (model.lessons.length > 0) layout.bullets(model.lessons, { size: 9 });
  else layout.paragraph('None recorded.', { color: COLOR.muted });
  layout.subheading('Follow-up actions');
  if (model.followUps.length > 0) layout.bullets(model.followUps, { size: 9 }, 'number');
  else layout.paragraph('None recorded.', { color: COLOR.muted });

  layout.section('Questions exercised, references and sources');
  layout.table(
    [
      { header: 'Question', width: 55, nowrap: true },
      { header: 'Text', width: CONTENT_W - 55 },
    ],
    model.exercisedQuestions.map((q) => [q.id, q.text]),
    { size: 7.5 },
  );
  layout.subheading('Legal references');
  layout.bullets(model.scenario.legalReferences.map((r) => `${r.label}: ${r.url}`), { size: 8 });
  layout.subheading('Sources');
  layout.bullets(model.scenario.sources.map((s) => `${s.why} ${s.url}`), { size: 8 });
}

/** Renders the drill record PDF; rejects a model whose dates cannot be read. */
export function renderDrillRecord(model: DrillRecordModel): Promise<Buffer> {
  const finished = timeOf(model.finishedAt);
  if (Number.isNaN(finished) || Number.isNaN(timeOf(model.startedAt))) {
    return Promise.reject(new DrillRecordModelError('startedAt and finishedAt must be ISO 8601 date-times.'));
  }
  const info: PdfInfo = {
    Title: `Drill record — ${model.scenario.title} — ${model.organisation.name}`,
    Author: 'Hand on Heart',
    Subject: `Incident drill ${model.drillId} (${model.scenario.id}, library ${model.scenario.libraryVersion})`,
    Keywords: `CSAM, incident drill, tabletop exercise, exercise evidence, ${model.drillId}`,
    Creator: 'Hand on Heart drill record renderer',
    Producer: 'Hand on Heart (pdfkit)',
    CreationDate: new Date(finished),
    ModDate: new Date(finished),
    ModelSha256: drillRecordDigest(model),
  };
  return renderPdf(info, true, (layout) => {
    render(layout, model);
    layout.finish();
    decorate(layout, model);
  });
}
