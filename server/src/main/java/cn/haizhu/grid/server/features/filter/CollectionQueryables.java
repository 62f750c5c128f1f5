package cn.haizhu.grid.server.features.filter;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The queryables of one feature collection: what its filters may name, over which table's columns,
 * and the SRID and kind of its geometry. Only columns the collection shows unmasked to every reader
 * are here: a filter on a hidden column would tell its value row by row.
 */
public final class CollectionQueryables {
    private final String collectionId;
    private final String title;
    private final int srid;
    private final String geometryFormat;
    private final Map<String, Queryable> byName = new LinkedHashMap<>();

    CollectionQueryables(String collectionId, String title, int srid, String geometryFormat, List<Queryable> queryables) {
        this.collectionId = collectionId;
        this.title = title;
        this.srid = srid;
        this.geometryFormat = geometryFormat;
        for (Queryable q : queryables) {
            if (byName.put(q.name(), q) != null) {
                throw new IllegalArgumentException(collectionId + ": queryable " + q.name() + " twice");
            }
        }
    }

    public String collectionId() {
        return collectionId;
    }

    /** The SRID of the table's geometry column: literals are transformed into it in SQL. */
    public int srid() {
        return srid;
    }

    /** The queryable called {@code name}, or null. */
    public Queryable get(String name) {
        return byName.get(name);
    }

    public List<Queryable> all() {
        return List.copyOf(byName.values());
    }

    /**
     * The {@code /collections/{id}/queryables} document (OGC API Features Part 3): a JSON Schema
     * 2019-09 object whose properties are the queryables; {@code selfUrl} is the document's own URL
     * (its {@code $id}), built by the resource from the request's trusted origin.
     */
    public JsonObject toJsonSchema(String selfUrl) {
        JsonObject properties = new JsonObject();
        for (Queryable q : byName.values()) {
            properties.put(q.name(), q.type().schema(geometryFormat).put("title", q.title()));
        }
        return new JsonObject()
                .put("$schema", "https://json-schema.org/draft/2019-09/schema")
                .put("$id", selfUrl)
                .put("type", "object")
                .put("title", title)
                .put("properties", properties)
                .put("additionalProperties", false);
    }
}
