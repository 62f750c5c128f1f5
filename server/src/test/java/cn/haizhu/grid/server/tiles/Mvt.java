package cn.haizhu.grid.server.tiles;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough of a Mapbox Vector Tile 2.1 decoder for tests: layers, their features' attributes,
 * geometry type and raw geometry commands. Protobuf wire format read by hand (no decoder library
 * for MVT is on our dependency list).
 */
public final class Mvt {
    public record Feature(int type, Map<String, Object> attributes, List<Integer> geometry) {
        public Object get(String key) {
            return attributes.get(key);
        }
    }

    public record Layer(String name, int extent, List<Feature> features) {
    }

    private Mvt() {
    }

    public static Map<String, Layer> decode(byte[] tile) {
        Map<String, Layer> layers = new LinkedHashMap<>();
        Reader r = new Reader(tile, 0, tile.length);
        while (r.more()) {
            long tag = r.varint();
            if (tag >>> 3 == 3 && (tag & 7) == 2) {
                Layer layer = layer(r.message());
                layers.put(layer.name(), layer);
            } else {
                r.skip((int) (tag & 7));
            }
        }
        return layers;
    }

    private static Layer layer(Reader r) {
        String name = null;
        int extent = 4096;
        List<String> keys = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        List<Reader> rawFeatures = new ArrayList<>();
        while (r.more()) {
            long tag = r.varint();
            int field = (int) (tag >>> 3);
            switch (field) {
                case 1 -> name = r.string();
                case 2 -> rawFeatures.add(r.message());
                case 3 -> keys.add(r.string());
                case 4 -> values.add(value(r.message()));
                case 5 -> extent = (int) r.varint();
                default -> r.skip((int) (tag & 7));
            }
        }
        List<Feature> features = new ArrayList<>();
        for (Reader f : rawFeatures) {
            features.add(feature(f, keys, values));
        }
        return new Layer(name, extent, features);
    }

    private static Feature feature(Reader r, List<String> keys, List<Object> values) {
        int type = 0;
        List<Integer> tags = new ArrayList<>();
        List<Integer> geometry = new ArrayList<>();
        while (r.more()) {
            long tag = r.varint();
            switch ((int) (tag >>> 3)) {
                case 2 -> r.packed(tags);
                case 3 -> type = (int) r.varint();
                case 4 -> r.packed(geometry);
                default -> r.skip((int) (tag & 7));
            }
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (int i = 0; i + 1 < tags.size(); i += 2) {
            attributes.put(keys.get(tags.get(i)), values.get(tags.get(i + 1)));
        }
        return new Feature(type, attributes, geometry);
    }

    private static Object value(Reader r) {
        Object v = null;
        while (r.more()) {
            long tag = r.varint();
            switch ((int) (tag >>> 3)) {
                case 1 -> v = r.string();
                case 2 -> v = (double) Float.intBitsToFloat((int) r.fixed(4));
                case 3 -> v = Double.longBitsToDouble(r.fixed(8));
                case 4, 5 -> v = r.varint();
                case 6 -> {
                    long z = r.varint();
                    v = (z >>> 1) ^ -(z & 1);
                }
                case 7 -> v = r.varint() != 0;
                default -> r.skip((int) (tag & 7));
            }
        }
        return v;
    }

    private static final class Reader {
        private final byte[] b;
        private int pos;
        private final int end;

        Reader(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                byte x = b[pos++];
                v |= (long) (x & 0x7f) << shift;
                if (x >= 0) {
                    return v;
                }
            }
        }

        long fixed(int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                v |= (long) (b[pos++] & 0xff) << (8 * i);
            }
            return v;
        }

        Reader message() {
            int len = (int) varint();
            Reader m = new Reader(b, pos, pos + len);
            pos += len;
            return m;
        }

        String string() {
            int len = (int) varint();
            String s = new String(b, pos, len, StandardCharsets.UTF_8);
            pos += len;
            return s;
        }

        void packed(List<Integer> out) {
            Reader m = message();
            while (m.more()) {
                out.add((int) m.varint());
            }
        }

        void skip(int wireType) {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> pos += 8;
                case 2 -> pos += (int) varint();
                case 5 -> pos += 4;
                default -> throw new IllegalStateException("wire type " + wireType);
            }
        }
    }
}
