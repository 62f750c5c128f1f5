package cn.haizhu.grid.server.features.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** GET /collections/{collectionId}/queryables over real HTTP (OGC API Features Part 3, Queryables). */
class QueryablesIT {
    @Test
    void theQueryablesOfAFeatureCollectionAreAJsonSchemaWithItsOwnUrl() {
        HttpResponse<String> r = Http.get("/collections/houses/queryables", Http.token("command"));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/schema+json"));
        JsonObject doc = Http.json(r);
        assertEquals("https://json-schema.org/draft/2019-09/schema", doc.getString("$schema"));
        assertEquals(TestServer.get().baseUrl() + "/collections/houses/queryables", doc.getString("$id"));
        assertEquals("object", doc.getString("type"));
        JsonObject properties = doc.getJsonObject("properties");
        assertEquals("integer", properties.getJsonObject("floor").getString("type"));
        assertEquals("geometry-point", properties.getJsonObject("geometry").getString("format"));
        assertFalse(Http.json(Http.get("/collections/enterprises/queryables", Http.token("command")))
                .getJsonObject("properties").containsKey("legal_person"));
    }

    @Test
    void behindTheTrustedProxyTheIdFollowsTheForwardedHost() {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl()
                        + "/collections/grids/queryables"))
                .header("Authorization", "Bearer " + Http.token("command"))
                .header("X-Forwarded-Host", "grid.haizhu.example").header("X-Forwarded-Proto", "https").GET().build());
        assertEquals("https://grid.haizhu.example/collections/grids/queryables", Http.json(r).getString("$id"));
    }

    @Test
    void anUnknownCollectionIsA404AndNoTokenA401InTheOneErrorFormat() {
        HttpResponse<String> missing = Http.get("/collections/persons/queryables", Http.token("command"));
        assertEquals(404, missing.statusCode());
        assertEquals("not_found", Http.json(missing).getJsonObject("error").getString("code"));
        HttpResponse<String> anonymous = Http.get("/collections/houses/queryables", null);
        assertEquals(401, anonymous.statusCode());
        assertEquals("unauthenticated", Http.json(anonymous).getJsonObject("error").getString("code"));
    }
}
