package cn.haizhu.grid.server.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's description, {@code api/openapi.json}, as the one declaration of each route's query
 * parameters. {@link Params} reads a query parameter only when the operation of the route it runs
 * in declares it, so a handler cannot read a parameter the document does not list: the document
 * and the code cannot drift apart silently (OpenApiIT compares the routes and their path
 * parameters with the route table itself). Loaded once from the jar.
 */
public final class ApiDocument {
    public static final String RESOURCE = "api/openapi.json";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Pattern PATH_PARAM = Pattern.compile(":([A-Za-z][A-Za-z0-9_]*)");
    private static final Pattern TEMPLATE_PARAM = Pattern.compile("\\{([^}/]+)}");
    private static final ApiDocument LOADED = load();
    private static final Logger LOG = LoggerFactory.getLogger(ApiDocument.class);
    /** Assertions are on in the tests (Surefire and Failsafe turn them on), off in {@code java -jar}. */
    private static final boolean STRICT = ApiDocument.class.desiredAssertionStatus();
    private final Set<String> reported = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** "GET /api/v1/cases" → the names of its query parameters. */
    private final Map<String, Set<String>> queryParameters;

    private ApiDocument(Map<String, Set<String>> queryParameters) {
        this.queryParameters = queryParameters;
    }

    /** The document this server serves. */
    public static ApiDocument get() {
        return LOADED;
    }

    static ApiDocument parse(JsonObject doc) {
        Map<String, Set<String>> query = new TreeMap<>();
        JsonObject paths = doc.getJsonObject("paths");
        for (String path : paths.fieldNames()) {
            JsonObject item = paths.getJsonObject(path);
            for (String method : item.fieldNames()) {
                if (!METHODS.contains(method)) {
                    continue;
                }
                Set<String> names = new LinkedHashSet<>();
                collect(doc, item.getJsonArray("parameters"), names);
                collect(doc, item.getJsonObject(method).getJsonArray("parameters"), names);
                query.put(method.toUpperCase(java.util.Locale.ROOT) + " " + path, Collections.unmodifiableSet(names));
            }
        }
        return new ApiDocument(Collections.unmodifiableMap(query));
    }

    private static void collect(JsonObject doc, JsonArray parameters, Set<String> into) {
        if (parameters == null) {
            return;
        }
        for (Object o : parameters) {
            JsonObject p = resolve(doc, (JsonObject) o);
            if ("query".equals(p.getString("in"))) {
                into.add(p.getString("name"));
            }
        }
    }

    /** A parameter as itself, or the component its {@code $ref} names. */
    private static JsonObject resolve(JsonObject doc, JsonObject p) {
        String ref = p.getString("$ref");
        if (ref == null) {
            return p;
        }
        JsonObject at = doc;
        for (String part : ref.substring(2).split("/")) {
            at = at.getJsonObject(part);
        }
        return at;
    }

    private static ApiDocument load() {
        try (InputStream in = ApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return parse(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every operation as "METHOD /path/{param}". */
    public Set<String> operations() {
        return queryParameters.keySet();
    }

    /** The query parameters the operation declares, or null when the document has no such operation. */
    public Set<String> queryParameters(String method, String template) {
        return queryParameters.get(method + " " + template);
    }

    /**
     * Refuses to read a query parameter the running route's operation does not declare: a fault of
     * the code, never of the caller. With assertions on (every test run) it throws (500 through
     * {@link Failures}), so any test that calls the route finds it; in production (assertions off) it
     * logs the fault once per parameter and the read goes on: a branch no test reached must not turn a
     * caller's good request into a 500. A HEAD is read as its GET.
     */
    void requireDeclared(RoutingContext ctx, String name) {
        Set<String> declared = declaredOf(ctx);
        if (declared == null || !declared.contains(name)) {
            Route route = ctx.currentRoute();
            String template = route == null ? null : template(route);
            String method = ctx.request().method().name();
            String fault = "query parameter '" + name + "' of " + method + " " + template + " is not declared in " + RESOURCE;
            if (STRICT) {
                throw new IllegalStateException(fault);
            }
            if (reported.add(fault)) {
                LOG.error(fault);
            }
        }
    }

    /** The query parameters the running route's operation declares (a HEAD's are its GET's), or null. */
    Set<String> declaredOf(RoutingContext ctx) {
        Route route = ctx.currentRoute();
        String template = route == null ? null : template(route);
        if (template == null) {
            return null;
        }
        Set<String> declared = queryParameters(ctx.request().method().name(), template);
        return declared == null && ctx.request().method().name().equals("HEAD") ? queryParameters("GET", template) : declared;
    }

    /** The OpenAPI path template of a route: {@code /cases/:id} → {@code /cases/{id}}; a regex route by its named groups. */
    public static String template(Route route) {
        // a path with :params is a regex inside Vert.x too (isRegexPath), but keeps its path
        if (route.getPath() != null) {
            return templateOfPath(route.getPath());
        }
        return route.getName() == null ? null : templateOfRegex(route.getName());
    }

    public static String templateOfPath(String path) {
        return PATH_PARAM.matcher(path).replaceAll("{$1}");
    }

    /**
     * {@code ^/tiles/(?<layer>[^/]+)\.json$} → {@code /tiles/{layer}.json}. Every group must be named:
     * a path parameter needs a name the document can give it.
     */
    public static String templateOfRegex(String regex) {
        String r = regex;
        if (r.startsWith("^")) {
            r = r.substring(1);
        }
        if (r.endsWith("$")) {
            r = r.substring(0, r.length() - 1);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < r.length(); i++) {
            char c = r.charAt(i);
            if (c == '\\' && i + 1 < r.length()) {
                out.append(r.charAt(++i));
            } else if (c == '(') {
                if (!r.startsWith("(?<", i)) {
                    throw new IllegalArgumentException("route " + regex + " has a group without a name");
                }
                int nameEnd = r.indexOf('>', i);
                out.append('{').append(r, i + 3, nameEnd).append('}');
                i = closing(r, i);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The index of the parenthesis that closes the group opened at {@code open}. */
    private static int closing(String r, int open) {
        int depth = 0;
        boolean inClass = false;
        for (int i = open; i < r.length(); i++) {
            char c = r.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced group in " + r);
    }

    /** The path parameters a template names, in order. */
    public static java.util.List<String> pathParameters(String template) {
        java.util.List<String> names = new java.util.ArrayList<>();
        Matcher m = TEMPLATE_PARAM.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
