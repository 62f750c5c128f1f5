package cn.haizhu.grid.server.logs;

import cn.haizhu.grid.server.auth.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request, written only with JSON logs: the route template, method, status, duration in
 * milliseconds, and the caller's account id and role when signed in. Nothing a caller typed goes in:
 * not the path as asked (a house code, a case id), not the query string (an ID number in
 * /api/v1/persons/lookup), not a header, not the body; the user is an id, not a name.
 */
public final class AccessLog {
    /** The logger's name; its level is slf4j-simple's like every other (simplelogger.properties). */
    public static final String NAME = "gridctl.access";
    private static final Logger LOG = LoggerFactory.getLogger(NAME);

    private AccessLog() {
    }

    public static void write(String route, String method, int status, long nanos, Caller caller) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        var line = LOG.atInfo()
                .addKeyValue("route", route)
                .addKeyValue("method", method)
                .addKeyValue("status", status)
                .addKeyValue("durationMs", Math.round(nanos / 1e4) / 100.0);
        if (caller != null) {
            line = line.addKeyValue("userId", caller.userId()).addKeyValue("role", caller.role());
        }
        line.log("request");
    }
}
