import { extractText, getDocumentProxy } from 'unpdf';

import { groupAnswerHeadline, type GroupReportModel, GroupReportModelError, memberLine, renderGroupReport } from './group-report.js';

const model: GroupReportModel = {
  reportId: '6f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c',
  issuedAt: '2026-12-08T09:00:00Z',
  keyId: '0123456789abcdef',
  group: { id: '3f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c', name: 'Acme holdings' },
  requestedBy: 'Gail Group',
  answer: { members: 3, signed: 1, ready: 1, notReady: 1, noAssessment: 0, couldAttest: 2, qualified: 1 },
  domains: [
    { domainId: 'GOV', title: 'Governance' },
    { domainId: 'DET', title: 'Detection' },
  ],
  members: [
    {
      organisationId: '4f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c',
      name: 'Acme App',
      status: 'signed',
      score: 81.6,
      band: 'green',
      exceptionCount: 0,
      overdueActions: 0,
      cells: [{ rounded: 90, band: 'green' }, { rounded: 70, band: 'amber' }],
      signedReport: { reportId: '5f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c', pdfSha256: 'ab'.repeat(32), issuedAt: '2026-12-01T09:00:00Z' },
      refreshedAt: '2026-12-07T09:00:00Z',
    },
    {
      organisationId: '7f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c',
      name: 'Acme Storage',
      status: 'ready',
      score: 55,
      band: 'amber',
      exceptionCount: 2,
      overdueActions: 1,
      cells: [{ rounded: 60, band: 'amber' }, null],
      signedReport: null,
      refreshedAt: '2026-12-07T09:00:00Z',
    },
    {
      organisationId: '8f1c2a4e-8b7d-4c1e-9a2b-5d6e7f8a9b0c',
      name: 'Acme Forum',
      status: 'not_ready',
      score: 30,
      band: 'red',
      exceptionCount: 5,
      overdueActions: 4,
      cells: [{ rounded: 20, band: 'red' }, { rounded: 40, band: 'red' }],
      signedReport: null,
      refreshedAt: null,
    },
  ],
  sharedGaps: [{ questionId: 'HASH-01', organisations: 2, names: ['Acme Storage', 'Acme Forum'] }],
};

async function text(bytes: Buffer): Promise<string> {
  const { text: t } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true });
  return t.replace(/\s+/g, ' ');
}

describe('the group board report', () => {
  it('answers first how many members could attest, with and without qualification', () => {
    expect(groupAnswerHeadline(model.answer)).toBe('2 of 3 member organisations could attest today: 1 without qualification, 1 with exceptions recorded.');
    expect(groupAnswerHeadline({ ...model.answer, members: 0, couldAttest: 0, qualified: 0 })).toBe('The group has no member organisations yet.');
    expect(memberLine(model.members[1]!)).toBe('Ready to attest · 55 (Amber) · 2 exceptions · 1 overdue action');
    expect(memberLine(model.members[2]!)).toContain('summary not yet published');
  });

  it('prints the answer, the matrix, shared gaps, each member’s line and its signed report hash, and renders the same bytes twice', async () => {
    const pdf = await renderGroupReport(model);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const printed = await text(pdf);
    expect(printed).toContain('Group board report: Acme holdings');
    expect(printed).toContain('2 of 3 member organisations could attest today');
    expect(printed).toContain('90 G');
    expect(printed).toContain('HASH-01');
    expect(printed).toContain('Acme Storage, Acme Forum');
    expect(printed).toContain('ab'.repeat(16));
    expect(printed).toContain('No signed report yet');
    expect((await renderGroupReport(model)).equals(pdf)).toBe(true);
  });

  it('fits a matrix of many domains (members on different bank versions) on the page', async () => {
    const domains = Array.from({ length: 30 }, (_, i) => ({ domainId: `D${i}`, title: `Domain ${i}` }));
    const members = model.members.map((m) => ({ ...m, cells: domains.map(() => ({ rounded: 50, band: 'amber' as const })) }));
    await expect(renderGroupReport({ ...model, domains, members })).resolves.toBeInstanceOf(Buffer);
  });

  it('rejects a model whose date cannot be read or whose matrix is ragged', async () => {
    await expect(renderGroupReport({ ...model, issuedAt: 'yesterday' })).rejects.toBeInstanceOf(GroupReportModelError);
    await expect(renderGroupReport({ ...model, members: [{ ...model.members[0]!, cells: [null] }] })).rejects.toThrow('one matrix cell per domain');
  });
});
