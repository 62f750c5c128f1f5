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
 * case history in {@code extended_attributes}. Reads need an {@code api_key} too (the spec leaves them
 * public): case addresses and notes are not for everyone.
 */
package cn.haizhu.grid.server.open311;
