// Board-ready PDF renderer: a typed ReportModel in, deterministic PDF bytes out (pdfkit, DejaVu Sans
// embedded as a subset). The API gathers the model; this library does no IO beyond reading its font.
export { renderReport, reportModelDigest, ReportModelError } from './render-report.js';
export {
  isOverdue,
  isCriticalGap,
  isDraft,
  attestationHeadline,
  topRisks,
  scoreChange,
  headlineFigures,
  exceptionKindLabel,
  verifyLink,
  verificationSteps,
} from './derive.js';
export type { AttestationHeadline, TopRisk } from './derive.js';
export { VERIFY_PATH, PUBLIC_KEY_PATH } from './model.js';
export type * from './model.js';
// Office copies of an issued report (issue 25 item 5): an unsigned, editable DOCX board pack and XLSX registers.
export { renderBoardPackDocx, BOARD_PACK_SECTIONS, boardPackSections } from './office/board-pack-docx.js';
export { renderRegistersXlsx, REGISTER_SHEETS } from './office/registers-xlsx.js';
export { WorkingCopySourceError } from './office/working-copy.js';
export type { WorkingCopySource } from './office/working-copy.js';
// Incident drills (issue 30): the drill record, stored as exercise evidence.
export { renderDrillRecord, drillRecordDigest, formatDrillTime, DrillRecordModelError } from './drill-record.js';
export type { DrillRecordModel } from './drill-record.js';
// Groups (issue 31): the group board report over member organisations' published summaries.
export { renderGroupReport, groupReportModelDigest, groupAnswerHeadline, memberLine, GroupReportModelError } from './group-report.js';
export type { GroupReportModel, GroupMemberStatus } from './group-report.js';
export { renderGroupReportXlsx, GROUP_REPORT_SHEETS } from './office/group-report-xlsx.js';
