package cn.haizhu.grid.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * api/openapi.json as a document (valid OpenAPI 3.0 by swagger-parser, every operation with its
 * permission, its answers and the one error format) and as the declaration {@link Params} reads
 * query parameters by. Which routes it must hold is OpenApiIT's business (it needs the route table).
 */
class ApiDocumentTest {
    static String text() throws Exception {
        try (InputStream in = ApiDocumentTest.class.getClassLoader().getResourceAsStream(ApiDocument.RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theDocumentIsValidOpenApi30() throws Exception {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(text(), null, options);
        assertEquals(List.of(), result.getMessages(), "swagger-parser's findings");
        assertTrue(result.getOpenAPI().getOpenapi().startsWith("3.0."), result.getOpenAPI().getOpenapi());
        assertTrue(result.getOpenAPI().getPaths().size() > 40, "every route is described");
    }

    @Test
    void theCheckFindsWhatSwaggerParserFinds() throws Exception {
        JsonObject broken = new JsonObject(text());
        broken.getJsonObject("paths").getJsonObject("/api/v1/cases").getJsonObject("get").remove("responses");
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(broken.encode(), null, new ParseOptions());
        assertTrue(result.getMessages().stream().anyMatch(m -> m.contains("responses")), result.getMessages().toString());
    }

    /**
     * What a reader of the document needs on every operation: a summary, who may call it
     * ({@code x-permission}: "public", "signed-in", or the permission a role must hold), answers in the
     * one error format for its refusals, and a tag.
     */
    @Test
    void everyOperationSaysWhoMayCallItAndHowItFails() throws Exception {
        JsonObject doc = new JsonObject(text());
        JsonObject paths = doc.getJsonObject("paths");
        List<String> problems = new java.util.ArrayList<>();
        for (String path : paths.fieldNames()) {
            JsonObject item = paths.getJsonObject(path);
            for (String method : item.fieldNames()) {
                JsonObject op = item.getJsonObject(method);
                String where = method.toUpperCase() + " " + path;
                if (op.getString("summary", "").isBlank()) {
                    problems.add(where + ": no summary");
                }
                if (op.getString("x-permission", "").isBlank()) {
                    problems.add(where + ": no x-permission");
                }
                if (op.getJsonArray("tags", new io.vertx.core.json.JsonArray()).isEmpty()) {
                    problems.add(where + ": no tag");
                }
                // how it fails, wherever a caller can get something wrong (credentials, parameters, a body)
                boolean open = "public".equals(op.getString("x-permission")) && !op.containsKey("parameters")
                        && !op.containsKey("requestBody");
                boolean refuses = op.getJsonObject("responses").fieldNames().stream().anyMatch(s -> s.matches("[45]\\d\\d"));
                if (!open && !refuses) {
                    problems.add(where + ": no error answer");
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(doc.getJsonObject("components").getJsonObject("schemas").containsKey("Error"));
        assertEquals(Set.of("bearer", "session", "syncKey", "open311Key"),
                doc.getJsonObject("components").getJsonObject("securitySchemes").fieldNames());
    }

    @Test
    void aRegexRouteIsNamedByItsGroups() {
        assertEquals("/tiles/{layer}.json", ApiDocument.templateOfRegex("^/tiles/(?<layer>[^/]+)\\.json$"));
        assertEquals("/open311/v2/services/{code}.{format}",
                ApiDocument.templateOfRegex("/open311/v2/services/(?<code>[A-Za-z0-9]{1,20})\\.(?<format>json|xml)"));
        assertEquals("/a/{b}/c", ApiDocument.templateOfRegex("/a/(?<b>(x|[)(])+)/c"), "nested groups and classes");
        assertEquals("/api/v1/cases/{id}/actions", ApiDocument.templateOfPath("/api/v1/cases/:id/actions"));
        assertEquals(List.of("origin", "number"), ApiDocument.pathParameters("/api/v1/cases/work-orders/{origin}/{number}/actions"));
        assertThrows(IllegalArgumentException.class, () -> ApiDocument.templateOfRegex("^/tiles/([^/]+)\\.json$"),
                "an unnamed group has no name for the document");
    }

    @Test
    void queryParametersComeFromTheOperationAndItsPathItem() {
        JsonObject doc = new JsonObject().put("paths", new JsonObject().put("/x/{id}", new JsonObject()
                .put("parameters", new io.vertx.core.json.JsonArray().add(new JsonObject().put("$ref", "#/components/parameters/Limit")))
                .put("get", new JsonObject().put("parameters", new io.vertx.core.json.JsonArray()
                        .add(new JsonObject().put("name", "id").put("in", "path"))
                        .add(new JsonObject().put("name", "q").put("in", "query"))))))
                .put("components", new JsonObject().put("parameters", new JsonObject()
                        .put("Limit", new JsonObject().put("name", "limit").put("in", "query"))));
        ApiDocument d = ApiDocument.parse(doc);
        assertEquals(Set.of("limit", "q"), d.queryParameters("GET", "/x/{id}"));
        assertEquals(null, d.queryParameters("POST", "/x/{id}"));
    }

    /**
     * Over real HTTP: a handler on a documented route reads the parameters its operation declares
     * (GET /api/v1/cases declares state); one it does not declare, or a route the document lacks,
     * is the code's fault, a 500, whatever the caller sent.
     */
    @Test
    void aHandlerReadsOnlyTheQueryParametersItsOperationDeclares() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Router router = Router.router(vertx);
            router.route().failureHandler(Failures::handle);
            router.get("/api/v1/cases").handler(ctx -> ctx.end("state=" + Params.text(ctx, "state")));
            router.get("/api/v1/sync/digest/:table").handler(ctx -> ctx.end("street=" + Params.text(ctx, "street")));
            router.get("/api/v1/grids/:code").handler(ctx -> ctx.end("undeclared=" + Params.text(ctx, "state")));
            router.get("/not/documented").handler(ctx -> ctx.end("x=" + Params.text(ctx, "x")));
            HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.actualPort();
            HttpResponse<String> ok = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/cases?state=filed")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            assertEquals("state=filed", ok.body());
            HttpResponse<String> withPath = client.send(HttpRequest.newBuilder(URI.create(base
                    + "/api/v1/sync/digest/house?street=440105001")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("street=440105001", withPath.body(), "a route with a path parameter finds its operation");
            for (String path : List.of("/api/v1/grids/440105001001001", "/not/documented?x=1")) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(500, r.statusCode(), path);
                assertEquals("internal", new JsonObject(r.body()).getJsonObject("error").getString("code"), r.body());
            }
        } finally {
            vertx.close().await();
        }
    }
}
