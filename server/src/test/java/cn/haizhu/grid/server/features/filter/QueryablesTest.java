package cn.haizhu.grid.server.features.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The queryables documents (OGC API Features Part 3, Queryables conformance class). */
class QueryablesTest {
    @Test
    void everyFeatureCollectionHasItsQueryablesAndPersonsNone() {
        assertEquals(List.of("cases", "communities", "enterprises", "grids", "houses", "streets"), Queryables.collectionIds());
        assertTrue(Queryables.of("persons").isEmpty());
    }

    @Test
    void theDocumentIsAJsonSchema201909ObjectWithTypedTitledProperties() {
        JsonObject doc = Queryables.of("houses").orElseThrow()
                .toJsonSchema("https://grid.example/collections/houses/queryables");
        assertEquals("https://json-schema.org/draft/2019-09/schema", doc.getString("$schema"));
        assertEquals("https://grid.example/collections/houses/queryables", doc.getString("$id"));
        assertEquals("object", doc.getString("type"));
        assertFalse(doc.getBoolean("additionalProperties"));
        JsonObject properties = doc.getJsonObject("properties");
        assertEquals(new JsonObject().put("type", "integer").put("title", "楼层"), properties.getJsonObject("floor"));
        assertEquals(new JsonObject().put("type", "string").put("format", "date-time").put("title", "更新时间"),
                properties.getJsonObject("updated_at"));
        JsonObject geometry = properties.getJsonObject("geometry");
        assertEquals("geometry-point", geometry.getString("format"));
        assertEquals("primary-geometry", geometry.getString("x-ogc-role"));
        assertEquals("geometry-multipolygon", Queryables.of("grids").orElseThrow().toJsonSchema("x")
                .getJsonObject("properties").getJsonObject("geometry").getString("format"));
    }

    @Test
    void everyPropertyHasATypeOrAGeometryFormatAndATitle() {
        for (String id : Queryables.collectionIds()) {
            JsonObject properties = Queryables.of(id).orElseThrow().toJsonSchema("x").getJsonObject("properties");
            for (String name : properties.fieldNames()) {
                JsonObject p = properties.getJsonObject(name);
                assertTrue(p.containsKey("type") || p.getString("format").startsWith("geometry-"), id + "." + name);
                assertFalse(p.getString("title", "").isEmpty(), id + "." + name);
            }
        }
    }

    @Test
    void noPersonalDataIsQueryable() {
        for (String id : Queryables.collectionIds()) {
            for (Queryable q : Queryables.of(id).orElseThrow().all()) {
                String column = q.column().toLowerCase(Locale.ROOT);
                for (String personal : List.of("id_number", "phone", "legal_person", "reporter", "assignee",
                        "description", "person", "tags", "birth")) {
                    assertFalse(column.contains(personal), id + "." + q.name() + " reads " + q.column());
                }
            }
        }
        assertNull(Queryables.of("enterprises").orElseThrow().get("legal_person"));
    }
}
