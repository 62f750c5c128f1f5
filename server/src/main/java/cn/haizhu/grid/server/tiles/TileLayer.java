package cn.haizhu.grid.server.tiles;

import cn.haizhu.grid.data.db.SqlFile;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One vector tile layer: its name (also the MVT layer name and the URL segment), the zoom band it
 * is served in, the attribute fields it carries (for TileJSON), and its tile query, read once from
 * {@code <name>.sql} beside this class and run as a prepared statement with z, x, y bound.
 */
public record TileLayer(String name, int minZoom, int maxZoom, String description, Map<String, String> fields,
                        String sql) {

    public TileLayer {
        if (minZoom < 0 || maxZoom > TileCoord.MAX_ZOOM || minZoom > maxZoom) {
            throw new IllegalArgumentException("zoom band " + minZoom + "-" + maxZoom + " of layer " + name);
        }
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    static TileLayer of(String name, int minZoom, int maxZoom, String description, Map<String, String> fields) {
        return new TileLayer(name, minZoom, maxZoom, description, fields, readSql(name));
    }

    public boolean servesZoom(int z) {
        return z >= minZoom && z <= maxZoom;
    }

    private static String readSql(String name) {
        return SqlFile.load(TileLayer.class, name);
    }
}
