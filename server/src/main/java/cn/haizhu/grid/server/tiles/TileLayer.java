package cn.haizhu.grid.server.tiles;

import cn.haizhu.grid.data.db.SqlFile;
import java.util.List;

/**
 * One vector tile layer: its name (also the MVT layer name and the URL segment), the zoom band it
 * is served in, its geometries' dimension (0 points, 2 polygons), the attribute fields it carries (for
 * TileJSON and the OGC tileset metadata), and its tile query, read once from
 * {@code <name>.sql} beside this class and run as a prepared statement with z, x, y bound.
 */
public record TileLayer(String name, int minZoom, int maxZoom, String description, int geometryDimension, List<Field> fields,
                        String sql) {

    /**
     * An attribute of the layer's features. {@code type} is one of TileJSON's type words (Number,
     * String, Boolean), which clients such as GDAL type the field by; the description is for people.
     */
    public record Field(String name, String type, String description) {
        public static final String NUMBER = "Number";
        public static final String STRING = "String";
        public static final String BOOLEAN = "Boolean";

        public Field {
            if (!type.equals(NUMBER) && !type.equals(STRING) && !type.equals(BOOLEAN)) {
                throw new IllegalArgumentException("field type " + type + " of " + name);
            }
        }
    }

    public TileLayer {
        if (minZoom < 0 || maxZoom > TileCoord.MAX_ZOOM || minZoom > maxZoom) {
            throw new IllegalArgumentException("zoom band " + minZoom + "-" + maxZoom + " of layer " + name);
        }
        fields = List.copyOf(fields);
    }

    static TileLayer of(String name, int minZoom, int maxZoom, String description, int geometryDimension, List<Field> fields) {
        return new TileLayer(name, minZoom, maxZoom, description, geometryDimension, fields, readSql(name));
    }

    public boolean servesZoom(int z) {
        return z >= minZoom && z <= maxZoom;
    }

    private static String readSql(String name) {
        return SqlFile.load(TileLayer.class, name);
    }
}
