/** Every HTTP request and answer body: one schema (and its inferred type) per body. */

export {
  ALERT_RULES,
  ALERT_SEVERITIES,
  ALERT_STATES,
  Alert,
  AlertList,
  type AlertRule,
  type AlertSeverity,
  type AlertState,
  AlertsQuery,
} from './alerts.js';
export {
  AUDIT_ACTIONS,
  AUDIT_PAGE_MAX,
  type AuditAction,
  AuditEntry,
  AuditPage,
  AuditQuery,
} from './audit.js';
export {
  ClubList,
  ClubOccupancy,
  ClubOccupancyList,
  DeskClubRequest,
  DeskInfo,
} from './clubs.js';
export { HTTP_ERROR_CODES, HttpErrorBody, type HttpErrorCode } from './errors.js';
export {
  FORECAST_HORIZON_H,
  FORECAST_MODELS,
  FORECAST_SUBJECTS,
  ForecastDocument,
  ForecastModel,
  ForecastPoint,
  ForecastSubject,
  OccupancyForecastQuery,
} from './forecast.js';
export { HealthStatus, ReadinessReport } from './health.js';
export {
  DESK_METRICS,
  HISTORY_MAX_POINTS,
  HISTORY_MAX_SERIES,
  HISTORY_METRICS,
  HISTORY_RESOLUTIONS_S,
  HISTORY_RETENTION_MS,
  HistoryDocument,
  type HistoryMetric,
  HistoryMetricName,
  HistoryQuery,
  HistorySeries,
  NODE_METRICS,
  NodeInfo,
  NodeList,
} from './history.js';
export { MemberList, MembersQuery } from './members.js';
export {
  AverageStayReport,
  MemberListReport,
  MembersPerMonthReport,
  REPORT_DEFAULT_DAYS,
  REPORT_LIST_LIMIT,
  REPORT_MAX_DAYS,
  REPORT_NAMES,
  REPORT_WINDOW_DAYS,
  ReportDate,
  ReportDocument,
  ReportMember,
  ReportName,
  ReportsDocument,
  ReportsQuery,
  reportDays,
  TimeZoneName,
  VisitsByHourReport,
  VisitsPerDayReport,
} from './reports.js';
export { LoginRequest, SessionToken } from './session.js';
export {
  NewPassword,
  PASSWORD_LENGTH,
  PasswordChangeRequest,
  SessionInfo,
  StaffAccount,
  StaffCreateRequest,
  StaffList,
  StaffPasswordReset,
  StaffRoleSchema,
  StaffUpdateRequest,
  StaffUsername,
} from './staff.js';
export { FLEET_PAGE, FleetEntry, FleetPageInfo, StatsDocument, StatsQuery } from './stats.js';
export { Occupancy, OccupancyQuery, Visit, VisitList, VisitsQuery } from './visits.js';
