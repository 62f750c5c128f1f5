package cn.haizhu.grid.importers.source.geojson;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.json.simple.JSONArray;
import org.json.simple.JSONObject;
import org.json.simple.parser.JSONParser;
import org.json.simple.parser.ParseException;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.io.geojson.GeoJsonReader;

/**
 * Reads an RFC 7946 FeatureCollection (WGS84 lon/lat) into features with JTS geometries.
 * Suited to polygon layers (areas, grids: a few MB); the record layers are read as CSV.
 */
public final class GeoJsonFeatures {
    public record Feature(int index, Map<String, Object> properties, Geometry geometry) {
        public String text(String key) {
            Object v = properties.get(key);
            return v == null ? null : v.toString();
        }
    }

    private GeoJsonFeatures() {
    }

    @SuppressWarnings("unchecked")
    public static List<Feature> read(Path file) throws IOException {
        JSONObject root;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object parsed = new JSONParser().parse(r);
            if (!(parsed instanceof JSONObject o) || !"FeatureCollection".equals(o.get("type"))) {
                throw new IOException(file.getFileName() + " is not a GeoJSON FeatureCollection");
            }
            root = o;
        } catch (ParseException e) {
            throw new IOException(file.getFileName() + " is not valid JSON at position " + e.getPosition() + ": " + e, e);
        }
        GeoJsonReader geo = new GeoJsonReader(new GeometryFactory(new PrecisionModel(), 4326));
        JSONArray features = (JSONArray) root.get("features");
        if (features == null) {
            throw new IOException(file.getFileName() + " has no 'features' array");
        }
        List<Feature> out = new ArrayList<>(features.size());
        for (int i = 0; i < features.size(); i++) {
            JSONObject f = (JSONObject) features.get(i);
            JSONObject props = f.get("properties") instanceof JSONObject p ? p : new JSONObject();
            Object g = f.get("geometry");
            if (!(g instanceof JSONObject geometry)) {
                throw new IOException(file.getFileName() + ": feature " + (i + 1) + " has no geometry");
            }
            try {
                Geometry jts = geo.read(geometry.toJSONString());
                jts.setSRID(4326);
                out.add(new Feature(i + 1, java.util.Collections.unmodifiableMap(new java.util.HashMap<String, Object>(props)), jts));
            } catch (org.locationtech.jts.io.ParseException e) {
                throw new IOException(file.getFileName() + ": feature " + (i + 1) + " has an unreadable geometry: " + e.getMessage(), e);
            }
        }
        return out;
    }
}
