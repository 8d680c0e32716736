// Model builders for tests and the bench (`@hoh/report-pdf/testing`); never used by the API.
export { buildReportModel, buildSampleReportModel, buildStressReportModel, type ReportModelOptions } from './report-model.builder.js';
