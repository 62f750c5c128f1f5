package cn.haizhu.grid.server.features.filter;

import io.vertx.core.json.JsonObject;

/** The type of a queryable: how literals compare with it and how the queryables document shows it. */
public enum QueryableType {
    STRING, NUMBER, INTEGER, BOOLEAN, DATE, TIMESTAMP, GEOMETRY;

    /** Its JSON Schema (type and format, OGC API Features Part 3); geometries name their kind. */
    JsonObject schema(String geometryFormat) {
        return switch (this) {
            case STRING -> new JsonObject().put("type", "string");
            case NUMBER -> new JsonObject().put("type", "number");
            case INTEGER -> new JsonObject().put("type", "integer");
            case BOOLEAN -> new JsonObject().put("type", "boolean");
            case DATE -> new JsonObject().put("type", "string").put("format", "date");
            case TIMESTAMP -> new JsonObject().put("type", "string").put("format", "date-time");
            case GEOMETRY -> new JsonObject().put("format", geometryFormat).put("x-ogc-role", "primary-geometry");
        };
    }

    /** How an error message names the type. */
    String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
