/** Every HTTP request and answer body: one schema (and its inferred type) per body. */
export { HTTP_ERROR_CODES, HttpErrorBody, type HttpErrorCode } from './errors.js';
export { HealthStatus, ReadinessReport } from './health.js';
export { MemberList, MembersQuery } from './members.js';
export { LoginRequest, SessionToken } from './session.js';
export { FLEET_PAGE, FleetEntry, FleetPageInfo, StatsDocument, StatsQuery } from './stats.js';
export { Occupancy, Visit, VisitList, VisitsQuery } from './visits.js';
