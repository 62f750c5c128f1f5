package cn.haizhu.grid.server.tiles;

import cn.haizhu.grid.server.http.ApiError;
import io.vertx.core.json.JsonObject;

/**
 * A tile address in the Web Mercator quad tree (XYZ: y counts down from the north, as in the OGC
 * WebMercatorQuad "row"), with its extent in EPSG:3857 metres and in degrees.
 */
public record TileCoord(int z, int x, int y) {
    public static final int MAX_ZOOM = 22;
    /** Half the width of the Web Mercator square, metres. */
    static final double HALF_WORLD = 20037508.342789244;

    public TileCoord {
        if (z < 0 || z > MAX_ZOOM) {
            throw new IllegalArgumentException("zoom " + z);
        }
        long n = 1L << z;
        if (x < 0 || x >= n || y < 0 || y >= n) {
            throw new IllegalArgumentException("tile " + z + "/" + x + "/" + y);
        }
    }

    /** Parses path segments; anything but whole numbers in range is a 400 naming the problem. */
    public static TileCoord parse(String z, String x, String y) {
        int zi = number("z", z, MAX_ZOOM);
        long n = 1L << zi;
        int xi = number("x", x, n - 1);
        int yi = number("y", y, n - 1);
        return new TileCoord(zi, xi, yi);
    }

    private static int number(String name, String text, long max) {
        if (text == null || !text.matches("\\d{1,8}")) {
            throw invalid(name + " must be a whole number, got '" + clip(text) + "'", name);
        }
        long v = Long.parseLong(text);
        if (v > max) {
            throw invalid(name + " must be from 0 to " + max + (name.equals("z") ? "" : " at this zoom") + ", got " + v, name);
        }
        return (int) v;
    }

    private static ApiError invalid(String message, String parameter) {
        return ApiError.badRequest("invalid_tile", message, new JsonObject().put("parameter", parameter));
    }

    private static String clip(String v) {
        return v == null ? "" : v.length() > 20 ? v.substring(0, 20) + "…" : v;
    }

    /** Edge length of a tile at this zoom, metres of EPSG:3857. */
    public static double size(int z) {
        return 2 * HALF_WORLD / (1L << z);
    }

    public double minX() {
        return -HALF_WORLD + x * size(z);
    }

    public double maxX() {
        return -HALF_WORLD + (x + 1) * size(z);
    }

    public double maxY() {
        return HALF_WORLD - y * size(z);
    }

    public double minY() {
        return HALF_WORLD - (y + 1) * size(z);
    }

    /** True when this tile, grown by {@code margin} of its size on each side, meets the box (EPSG:3857). */
    public boolean meets(Box box, double margin) {
        double m = size(z) * margin;
        return minX() - m <= box.maxX() && maxX() + m >= box.minX() && minY() - m <= box.maxY() && maxY() + m >= box.minY();
    }

    /** The columns and rows of the tiles at zoom z that meet a box ({@link #meets} with no margin), clamped to the matrix. */
    public record Range(int minCol, int maxCol, int minRow, int maxRow) {
        public static Range meeting(Box box, int z) {
            long last = (1L << z) - 1;
            double s = size(z);
            return new Range(clamp(Math.floor((box.minX() + HALF_WORLD) / s), last), clamp(Math.floor((box.maxX() + HALF_WORLD) / s), last),
                    clamp(Math.floor((HALF_WORLD - box.maxY()) / s), last), clamp(Math.floor((HALF_WORLD - box.minY()) / s), last));
        }

        public boolean contains(TileCoord c) {
            return c.x() >= minCol && c.x() <= maxCol && c.y() >= minRow && c.y() <= maxRow;
        }

        private static int clamp(double v, long last) {
            return (int) Math.max(0, Math.min(last, v));
        }
    }

    /** A box in EPSG:3857 metres. */
    public record Box(double minX, double minY, double maxX, double maxY) {
        public static double lon(double x) {
            return x / HALF_WORLD * 180;
        }

        public static double lat(double y) {
            return Math.toDegrees(Math.atan(Math.sinh(y / HALF_WORLD * Math.PI)));
        }

        /** [west, south, east, north] in degrees, as TileJSON and the change feed give bounds. */
        public double[] degrees() {
            return new double[] {lon(minX), lat(minY), lon(maxX), lat(maxY)};
        }
    }
}
