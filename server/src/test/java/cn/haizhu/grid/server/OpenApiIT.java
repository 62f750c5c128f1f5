package cn.haizhu.grid.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.AuthorizationMatrixIT.Entry;
import cn.haizhu.grid.server.http.ApiDocument;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * api/openapi.json against the route table itself ({@link CommandCenter#routeTable()}): every route
 * is an operation of the document with its method, path template and path parameters, and every
 * operation a route; each operation's {@code x-permission} is the permission the authorization
 * matrix proves the route needs. Query parameters cannot drift either: a handler reads only those
 * its operation declares (ApiDocument, ApiDocumentTest), and reads them through Params only
 * (ParamsOnlyTest). A route added without its operation fails here.
 */
class OpenApiIT {
    /** Routes that are no API operation: the pages, their files, and the body handler of every JSON route. */
    static final Set<String> NOT_OPERATIONS = Set.of("GET /login", "GET /assets/", "GET /favicon.ico", "ANY /webjars/", "GET /api/docs/",
            "ANY /api/(?!v1/imports$|v1/attachments$).*");

    static JsonObject document() throws Exception {
        try (InputStream in = OpenApiIT.class.getClassLoader().getResourceAsStream(ApiDocument.RESOURCE)) {
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** "METHOD name" of the route table → "METHOD /template" of the document. */
    static SortedMap<String, String> operationsOfTheRouteTable() {
        SortedMap<String, String> out = new TreeMap<>();
        for (String route : TestServer.get().center.routeTable()) {
            if (NOT_OPERATIONS.contains(route)) {
                continue;
            }
            int space = route.indexOf(' ');
            String name = route.substring(space + 1);
            boolean regex = name.startsWith("^") || name.contains("(?<") || name.contains("\\");
            String template = regex ? ApiDocument.templateOfRegex(name) : ApiDocument.templateOfPath(name);
            out.put(route, route.substring(0, space) + " " + template);
        }
        return out;
    }

    @Test
    void everyRouteIsAnOperationOfTheDocumentAndEveryOperationARoute() throws Exception {
        Set<String> routes = new TreeSet<>(operationsOfTheRouteTable().values());
        Set<String> operations = new TreeSet<>(ApiDocument.get().operations());
        Set<String> missing = new TreeSet<>(routes);
        missing.removeAll(operations);
        Set<String> stale = new TreeSet<>(operations);
        stale.removeAll(routes);
        assertEquals(Set.of(), missing, "routes without an operation in api/openapi.json: describe them");
        assertEquals(Set.of(), stale, "operations in api/openapi.json that no route serves");
    }

    @Test
    void everyOperationNamesThePathParametersOfItsTemplate() throws Exception {
        JsonObject paths = document().getJsonObject("paths");
        List<String> problems = new ArrayList<>();
        for (String path : paths.fieldNames()) {
            JsonObject item = paths.getJsonObject(path);
            for (String method : item.fieldNames()) {
                List<String> declared = new ArrayList<>();
                for (JsonArray list : new JsonArray[] {item.getJsonArray("parameters"), item.getJsonObject(method).getJsonArray("parameters")}) {
                    for (Object o : list == null ? new JsonArray() : list) {
                        JsonObject p = (JsonObject) o;
                        if ("path".equals(p.getString("in"))) {
                            declared.add(p.getString("name"));
                            if (!p.getBoolean("required", false)) {
                                problems.add(method + " " + path + ": path parameter " + p.getString("name") + " not required");
                            }
                        }
                    }
                }
                if (!new TreeSet<>(declared).equals(new TreeSet<>(ApiDocument.pathParameters(path))) || declared.size() != new TreeSet<>(declared).size()) {
                    problems.add(method + " " + path + ": path parameters " + declared + ", template " + ApiDocument.pathParameters(path));
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /**
     * x-permission says who may call: "public", "signed-in", or the permission (alternatives after
     * " | "); the first is the one the authorization matrix, which calls every route as every role,
     * holds for the route.
     */
    @Test
    void everyOperationNamesThePermissionTheMatrixProves() throws Exception {
        JsonObject paths = document().getJsonObject("paths");
        Map<String, Entry> matrix = AuthorizationMatrixIT.matrix();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : operationsOfTheRouteTable().entrySet()) {
            String[] op = e.getValue().split(" ", 2);
            JsonObject item = paths.getJsonObject(op[1]);
            JsonObject operation = item == null ? null : item.getJsonObject(op[0].toLowerCase());
            Entry entry = matrix.get(e.getKey());
            if (operation == null || entry == null) {
                continue;   // the test above, or the matrix's own, says what is missing
            }
            String expected = entry.permission() == null ? "public" : entry.permission().isEmpty() ? "signed-in" : entry.permission();
            String stated = operation.getString("x-permission", "").split(" \\| ")[0];
            if (!expected.equals(stated)) {
                problems.add(e.getValue() + ": x-permission " + stated + ", the matrix " + expected);
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theServerServesTheDocumentAndItsPage() throws Exception {
        HttpResponse<String> served = Http.get("/api/v1/openapi.json", null);
        assertEquals(200, served.statusCode());
        assertEquals(document(), new JsonObject(served.body()));
        for (String page : List.of("/api/docs/", "/api/docs/main.js", "/api/docs/vendor/swagger-ui.js", "/api/docs/vendor/swagger-ui-style.css")) {
            HttpResponse<String> r = Http.get(page, null);
            assertEquals(200, r.statusCode(), page + " without signing in");
            assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"), page);
        }
    }
}
