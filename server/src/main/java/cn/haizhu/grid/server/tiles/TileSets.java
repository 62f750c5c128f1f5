package cn.haizhu.grid.server.tiles;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The OGC API – Tiles documents (Part 1, with the OGC Two Dimensional Tile Matrix Set and Tile Set
 * Metadata standard, 2DTMS 2.0): the tileset list of a collection, the tileset metadata, the
 * TileMatrixSet list and the WebMercatorQuad definition, and the links other documents (the landing
 * page, /collections) give to them. Pure JSON building; {@link TileResource} speaks HTTP.
 *
 * <p>One tileset per tile layer, vector tiles in WebMercatorQuad, the same tiles the XYZ path serves.
 * Its tileMatrixSetLimits are the tiles meeting the district's extent (at each zoom of the layer's
 * band): on the OGC path a tile outside them is 404, a tile inside without features 204.
 */
public final class TileSets {
    public static final String TMS_ID = "WebMercatorQuad";
    public static final String TMS_URI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad";
    public static final String CRS_3857 = "http://www.opengis.net/def/crs/EPSG/0/3857";
    public static final String CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
    /** The zooms the WebMercatorQuad definition lists (2DTMS Annex D); tiles are served up to {@link TileLayers#MAX_ZOOM}. */
    public static final int TMS_MAX_ZOOM = 24;
    /** Link relations of OGC API – Tiles (OGC 20-057, 6.2). */
    public static final String REL_TILESETS_VECTOR = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector";
    public static final String REL_TILING_SCHEMES = "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes";
    public static final String REL_TILING_SCHEME = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme";
    public static final String REL_CONFORMANCE = "http://www.opengis.net/def/rel/ogc/1.0/conformance";
    private static final String JSON = "application/json";

    /** The conformance classes the tiles part implements, for /conformance (OGC 20-057 Annex A, 2DTMS 2.0). */
    public static final List<String> CONFORMANCE = List.of(
            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
            "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/oas30",
            "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
            "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
            "http://www.opengis.net/spec/tms/2.0/conf/tilesetmetadata",
            "http://www.opengis.net/spec/tms/2.0/conf/json-tilesetmetadata");

    /** WebMercatorQuad's scale denominator at zoom 0 (0.28 mm pixels, 2DTMS Annex D.1). */
    static final double SCALE_0 = 559082264.0287178;
    static final double CELL_SIZE_0 = 156543.0339280410;

    private final TileLayers layers;

    public TileSets(TileLayers layers) {
        this.layers = layers;
    }

    /** The links a collection's document gives to its tiles (none where the collection has no tile layer). */
    public JsonArray collectionLinks(String origin, String collectionId) {
        JsonArray links = new JsonArray();
        if (layers.find(collectionId).isPresent()) {
            links.add(link(REL_TILESETS_VECTOR, origin + "/collections/" + collectionId + "/tiles", JSON,
                    "Vector tilesets of " + collectionId));
        }
        return links;
    }

    /** The links the landing page gives to the tiling schemes. */
    public JsonArray landingLinks(String origin) {
        return new JsonArray().add(link(REL_TILING_SCHEMES, origin + "/tileMatrixSets", JSON, "Tile matrix sets"));
    }

    /** GET /collections/{id}/tiles: the tilesets of one layer (one: WebMercatorQuad). */
    public JsonObject tilesetList(String origin, TileLayer layer) {
        String base = origin + "/collections/" + layer.name() + "/tiles";
        JsonObject item = new JsonObject()
                .put("title", layer.description())
                .put("dataType", "vector")
                .put("crs", CRS_3857)
                .put("tileMatrixSetURI", TMS_URI)
                .put("links", new JsonArray()
                        .add(link("self", base + "/" + TMS_ID, JSON, "Tileset metadata"))
                        .add(link(REL_TILING_SCHEME, origin + "/tileMatrixSets/" + TMS_ID, JSON, "WebMercatorQuad")));
        return new JsonObject()
                .put("tilesets", new JsonArray().add(item))
                .put("links", new JsonArray().add(link("self", base, JSON, "Tilesets of " + layer.name()))
                        .add(link("collection", origin + "/collections/" + layer.name(), JSON, layer.name())));
    }

    /** GET /collections/{id}/tiles/WebMercatorQuad: the tileset metadata (2DTMS 2.0 TileSetMetadata). */
    public JsonObject tileset(String origin, TileLayer layer, TileCoord.Box bounds) {
        String base = origin + "/collections/" + layer.name() + "/tiles/" + TMS_ID;
        JsonObject properties = new JsonObject();
        for (TileLayer.Field f : layer.fields()) {
            properties.put(f.name(), new JsonObject().put("type", jsonType(f.type())).put("description", f.description()));
        }
        JsonObject vectorLayer = new JsonObject()
                .put("id", layer.name())
                .put("title", layer.description())
                .put("dataType", "vector")
                .put("geometryDimension", layer.geometryDimension())
                .put("minTileMatrix", Integer.toString(layer.minZoom()))
                .put("maxTileMatrix", Integer.toString(layer.maxZoom()))
                .put("propertiesSchema", new JsonObject().put("type", "object").put("properties", properties));
        JsonObject json = new JsonObject()
                .put("title", layer.description())
                .put("dataType", "vector")
                .put("crs", CRS_3857)
                .put("tileMatrixSetURI", TMS_URI)
                .put("mediaTypes", new JsonArray().add(TileResource.MVT))
                .put("layers", new JsonArray().add(vectorLayer));
        if (bounds != null) {
            double[] d = bounds.degrees();
            json.put("boundingBox", new JsonObject().put("lowerLeft", new JsonArray().add(d[0]).add(d[1]))
                    .put("upperRight", new JsonArray().add(d[2]).add(d[3])).put("crs", CRS84));
            json.put("tileMatrixSetLimits", limits(layer, bounds));
            json.put("centerPoint", new JsonObject()
                    .put("coordinates", new JsonArray().add((d[0] + d[2]) / 2).add((d[1] + d[3]) / 2))
                    .put("crs", CRS84).put("tileMatrix", Integer.toString(Math.max(layer.minZoom(), 12))));
        }
        json.put("links", new JsonArray()
                .add(link("self", base, JSON, "This tileset"))
                .add(link(REL_TILING_SCHEME, origin + "/tileMatrixSets/" + TMS_ID, JSON, "WebMercatorQuad"))
                .add(link("item", base + "/{tileMatrix}/{tileRow}/{tileCol}", TileResource.MVT, "Mapbox vector tiles")
                        .put("templated", true))
                .add(link("http://www.opengis.net/def/rel/ogc/1.0/geodata", origin + "/collections/" + layer.name(), JSON,
                        "The collection")));
        return json;
    }

    /** The tiles meeting the box at each zoom of the layer's band, as the tile routes decide (TileCoord.meets). */
    static JsonArray limits(TileLayer layer, TileCoord.Box box) {
        JsonArray limits = new JsonArray();
        for (int z = layer.minZoom(); z <= layer.maxZoom(); z++) {
            TileCoord.Range r = TileCoord.Range.meeting(box, z);
            limits.add(new JsonObject().put("tileMatrix", Integer.toString(z))
                    .put("minTileRow", r.minRow()).put("maxTileRow", r.maxRow())
                    .put("minTileCol", r.minCol()).put("maxTileCol", r.maxCol()));
        }
        return limits;
    }

    /** GET /tileMatrixSets */
    public JsonObject tileMatrixSets(String origin) {
        return new JsonObject().put("tileMatrixSets", new JsonArray().add(new JsonObject()
                        .put("id", TMS_ID).put("title", "Google Maps Compatible for the World").put("uri", TMS_URI)
                        .put("crs", CRS_3857)
                        .put("links", new JsonArray().add(link("self", origin + "/tileMatrixSets/" + TMS_ID, JSON, TMS_ID)))))
                .put("links", new JsonArray().add(link("self", origin + "/tileMatrixSets", JSON, "Tile matrix sets")));
    }

    /** GET /tileMatrixSets/WebMercatorQuad: the definition of 2DTMS 2.0 Annex D.1, zooms 0 to {@link #TMS_MAX_ZOOM}. */
    public JsonObject webMercatorQuad(String origin) {
        JsonArray matrices = new JsonArray();
        for (int z = 0; z <= TMS_MAX_ZOOM; z++) {
            long n = 1L << z;
            matrices.add(new JsonObject()
                    .put("id", Integer.toString(z))
                    .put("scaleDenominator", SCALE_0 / n)
                    .put("cellSize", CELL_SIZE_0 / n)
                    .put("cornerOfOrigin", "topLeft")
                    .put("pointOfOrigin", new JsonArray().add(-TileCoord.HALF_WORLD).add(TileCoord.HALF_WORLD))
                    .put("tileWidth", 256).put("tileHeight", 256)
                    .put("matrixWidth", n).put("matrixHeight", n));
        }
        return new JsonObject()
                .put("id", TMS_ID)
                .put("title", "Google Maps Compatible for the World")
                .put("uri", TMS_URI)
                .put("crs", CRS_3857)
                .put("orderedAxes", new JsonArray().add("X").add("Y"))
                .put("wellKnownScaleSet", "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible")
                .put("tileMatrices", matrices)
                .put("links", new JsonArray().add(link("self", origin + "/tileMatrixSets/" + TMS_ID, JSON, TMS_ID)));
    }

    private static String jsonType(String tileJsonType) {
        return switch (tileJsonType) {
            case TileLayer.Field.NUMBER -> "number";
            case TileLayer.Field.BOOLEAN -> "boolean";
            default -> "string";
        };
    }

    private static JsonObject link(String rel, String href, String type, String title) {
        return new JsonObject().put("rel", rel).put("href", href).put("type", type).put("title", title);
    }
}
