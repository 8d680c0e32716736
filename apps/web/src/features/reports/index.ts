// The public surface of features/reports: what other features may import (eslint: feature boundaries).
export { useIssueReport } from './api/issue-report';
export { ReportProgress } from './components/report-progress';
