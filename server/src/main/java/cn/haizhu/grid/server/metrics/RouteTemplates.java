package cn.haizhu.grid.server.metrics;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The label a request is counted under: the template of the route that answered it
 * ({@code /api/v1/cases/{id}}, {@code /tiles/{layer}/{z}/{x}/{y}.mvt}), never the path it asked for, so the
 * number of series stays the number of routes whatever callers send. Each named route of the table
 * carries its {@link RouteMeters} in its metadata, found without a lookup when the route itself
 * answered; a request answered elsewhere (refused at sign-in, failed into the one failure handler,
 * no route at all) is matched against the templates once, on that slower path only.
 */
public final class RouteTemplates {
    static final String METERS = "gridctl.meters";
    /** What a request no route of the table matches is counted under. */
    static final String UNMATCHED = "unmatched";

    private record Candidate(Set<HttpMethod> methods, Pattern path, RouteMeters meters) {
    }

    private final List<Candidate> candidates = new ArrayList<>();
    private final RouteMeters unmatched;

    private RouteTemplates(RouteMeters unmatched) {
        this.unmatched = unmatched;
    }

    /** Labels every named route of {@code router}; call once, after the table is built. */
    static RouteTemplates label(Router router, io.micrometer.core.instrument.MeterRegistry registry) {
        RouteTemplates t = new RouteTemplates(new RouteMeters(UNMATCHED, registry));
        Map<String, RouteMeters> byTemplate = new LinkedHashMap<>();
        for (Route route : router.getRoutes()) {
            String name = route.getName();
            Set<HttpMethod> methods = route.methods() == null ? Set.of() : route.methods();
            // Vert.x reports a path with parameters (/cases/:id) as a regex route too; only a regex route has no path
            String path = route.getPath();
            boolean regex = path == null;
            boolean exact = regex || route.isExactPath() || path.contains(":") && !name.endsWith("*");
            boolean infrastructure = regex && methods.isEmpty();
            if (name == null || infrastructure) {
                continue;   // a handler for every request (headers, origin, auth, bodies), not an endpoint
            }
            String template = regex ? fromRegex(name) : fromPath(path, exact);
            RouteMeters meters = byTemplate.computeIfAbsent(template, k -> new RouteMeters(k, registry));
            route.putMetadata(METERS, meters);
            Pattern pattern = regex ? Pattern.compile(name) : pathPattern(path, exact);
            t.candidates.add(new Candidate(methods, pattern, meters));
        }
        return t;
    }

    /** The meters of the route that answered, or of the first template the request matches. */
    RouteMeters of(Route current, HttpMethod method, String path) {
        if (current != null) {
            RouteMeters own = current.getMetadata(METERS);
            if (own != null) {
                return own;
            }
        }
        for (Candidate c : candidates) {
            if ((c.methods().isEmpty() || c.methods().contains(method)) && path != null && c.path().matcher(path).matches()) {
                return c.meters();
            }
        }
        return unmatched;
    }

    /** {@code /api/v1/cases/:id} → {@code /api/v1/cases/{id}}; a prefix route ({@code /assets/*}) keeps its star. */
    static String fromPath(String path, boolean exact) {
        String t = cn.haizhu.grid.server.http.ApiDocument.templateOfPath(path);
        return exact || t.endsWith("*") ? t : t + "*";
    }

    /**
     * {@code ^/tiles/([^/]+)\.json$} → {@code /tiles/{param0}.json} (Vert.x's names for unnamed groups),
     * {@code /open311/v2/services/(?<code>…)\.(?<format>json|xml)} → {@code /open311/v2/services/{code}.{format}}.
     */
    static String fromRegex(String regex) {
        StringBuilder out = new StringBuilder();
        int unnamed = 0;
        String r = regex.startsWith("^") ? regex.substring(1) : regex;
        r = r.endsWith("$") ? r.substring(0, r.length() - 1) : r;
        for (int i = 0; i < r.length(); i++) {
            char ch = r.charAt(i);
            if (ch == '\\' && i + 1 < r.length()) {
                out.append(r.charAt(++i));
            } else if (ch == '(') {
                int end = closing(r, i);
                String group = r.substring(i + 1, end);
                if (group.startsWith("?<") && !group.startsWith("?<=") && !group.startsWith("?<!")) {
                    out.append('{').append(group, 2, group.indexOf('>')).append('}');
                } else if (!group.startsWith("?")) {
                    out.append("{param").append(unnamed++).append('}');
                }
                i = end;
            } else if (ch == '.' && i + 1 < r.length() && r.charAt(i + 1) == '*') {
                out.append('*');
                i++;
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    private static int closing(String r, int open) {
        int depth = 0;
        for (int i = open; i < r.length(); i++) {
            char ch = r.charAt(i);
            if (ch == '\\') {
                i++;
            } else if (ch == '(') {
                depth++;
            } else if (ch == ')' && --depth == 0) {
                return i;
            }
        }
        return r.length() - 1;
    }

    private static final Pattern PARAM = Pattern.compile(":[A-Za-z0-9_]+");

    private static Pattern pathPattern(String path, boolean exact) {
        StringBuilder p = new StringBuilder();
        java.util.regex.Matcher m = PARAM.matcher(path);
        int at = 0;
        while (m.find()) {
            p.append(Pattern.quote(path.substring(at, m.start()))).append("[^/]+");
            at = m.end();
        }
        p.append(Pattern.quote(path.substring(at)));
        return Pattern.compile(exact ? p.toString() : p + ".*");
    }
}
