package cn.haizhu.grid.importers.source.geojson;

import cn.haizhu.grid.importers.source.SourceRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Geometry;

/**
 * A whole small GeoJSON layer (areas, grids: a few MB) as a list of features, read through the
 * one GeoJSON reader, {@link GeoJsonSource}. Record layers stream through the importer instead.
 */
public final class GeoJsonFeatures {
    /** A feature: its 1-based number in the file, its properties as text (absent ones left out), its geometry. */
    public record Feature(int index, Map<String, Object> properties, Geometry geometry) {
        public String text(String key) {
            Object v = properties.get(key);
            return v == null ? null : v.toString();
        }
    }

    private GeoJsonFeatures() {
    }

    public static List<Feature> read(Path file) throws IOException {
        List<Feature> out = new ArrayList<>();
        try (GeoJsonSource source = GeoJsonSource.open(file)) {
            SourceRecord r;
            while ((r = source.next()) != null) {
                if (r.geometry() == null) {
                    throw new IOException(file.getFileName() + ": feature " + r.row() + " has no geometry");
                }
                Map<String, Object> props = new LinkedHashMap<>();
                for (int i = 0; i < source.columns().size() && i < r.values().size(); i++) {
                    String v = r.values().get(i);
                    if (v != null) {
                        props.put(source.columns().get(i), v);
                    }
                }
                out.add(new Feature((int) r.row(), Collections.unmodifiableMap(props), r.geometry()));
            }
        }
        return out;
    }
}
