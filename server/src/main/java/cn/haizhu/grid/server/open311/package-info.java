/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) under {@code /open311/v2/}: the
 * international API by which an external hotline or reporting app submits and tracks cases. It is a
 * second door onto the same cases: intake goes through {@link cn.haizhu.grid.server.cases.CaseIntake}
 * (same checks, routing, retry rules), reads through the caller's data scope. The spec fixes its own
 * shapes (errors are {@code [{"code", "description"}]}, in JSON or XML), so this door answers in them
 * rather than in the /api/v1 error format.
 *
 * <p>Mapping: a 小类 of the case catalogue is a service; the case number is the service_request_id;
 * the sixteen internal states map to open/closed, with the state itself, its Chinese name and the
 * public history in {@code extended_attributes} ({@link cn.haizhu.grid.server.open311.PublicHistory}:
 * milestones, and only the comments that are replies to the reporter).
 *
 * <p>Keys: every request needs an {@code api_key} (reads too, which the spec leaves public: case
 * addresses are not for everyone). A key belongs to one client application
 * ({@link cn.haizhu.grid.server.open311.Open311Clients}): issued by an administrator
 * ({@code /api/v1/open311-clients}, {@code ./gridctl open311-client add}), shown once, stored hashed,
 * revocable, acting as one user for routing and scope, able to report and read only. A user's
 * session or bearer token is not a key, and a key opens nothing under /api/v1. Clients should send
 * the key as {@code X-Api-Key} rather than in the URL, which proxies log.
 */
package cn.haizhu.grid.server.open311;
