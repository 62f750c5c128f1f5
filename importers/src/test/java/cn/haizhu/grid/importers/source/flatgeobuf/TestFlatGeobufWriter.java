package cn.haizhu.grid.importers.source.flatgeobuf;

import com.google.flatbuffers.FlatBufferBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.wololo.flatgeobuf.Constants;
import org.wololo.flatgeobuf.GeometryConversions;
import org.wololo.flatgeobuf.NodeItem;
import org.wololo.flatgeobuf.PackedRTree;
import org.wololo.flatgeobuf.generated.Column;
import org.wololo.flatgeobuf.generated.ColumnType;
import org.wololo.flatgeobuf.generated.Crs;
import org.wololo.flatgeobuf.generated.Feature;
import org.wololo.flatgeobuf.generated.Header;

/**
 * Writes small FlatGeobuf files for tests with the wololo FlatBuffers classes: a header with
 * columns and an EPSG crs, optionally a packed Hilbert R-tree, then size-prefixed features.
 * Supported property values: String (String column), Integer (Int), Long (Long), Double (Double),
 * Boolean (Bool); null leaves the property out.
 */
public final class TestFlatGeobufWriter {
    public record Col(String name, int type) {
    }

    private TestFlatGeobufWriter() {
    }

    public static void write(Path file, byte geometryType, int epsg, List<Col> cols, List<Geometry> geoms, List<Object[]> props,
                      boolean index) throws IOException {
        List<byte[]> features = new ArrayList<>();
        for (int i = 0; i < geoms.size(); i++) {
            features.add(feature(geometryType, cols, geoms.get(i), props.get(i)));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            order.add(i);
        }
        byte[] tree = new byte[0];
        Envelope extent = new Envelope();
        geoms.forEach(g -> extent.expandToInclude(g.getEnvelopeInternal()));
        if (index) {
            List<PackedRTree.FeatureItem> items = new ArrayList<>();
            for (int i = 0; i < geoms.size(); i++) {
                Envelope e = geoms.get(i).getEnvelopeInternal();
                PackedRTree.FeatureItem item = new PackedRTree.FeatureItem();
                item.nodeItem = new NodeItem(e.getMinX(), e.getMinY(), e.getMaxX(), e.getMaxY(), i);
                items.add(item);
            }
            @SuppressWarnings("unchecked")
            List<PackedRTree.FeatureItem> sorted = (List<PackedRTree.FeatureItem>) PackedRTree.hilbertSort(items,
                    PackedRTree.calcExtent(items));
            order.clear();
            long offset = 0;
            for (PackedRTree.FeatureItem item : sorted) {
                int i = (int) item.nodeItem.offset;
                order.add(i);
                item.nodeItem.offset = offset;
                offset += features.get(i).length;
            }
            ByteArrayOutputStream t = new ByteArrayOutputStream();
            new PackedRTree(sorted, (short) 16).write(t);
            tree = t.toByteArray();
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(Constants.MAGIC_BYTES);
            out.write(header(geometryType, epsg, cols, geoms.size(), index ? 16 : 0, extent));
            out.write(tree);
            for (int i : order) {
                out.write(features.get(i));
            }
        }
    }

    private static byte[] header(byte geometryType, int epsg, List<Col> cols, long count, int nodeSize, Envelope env) {
        FlatBufferBuilder b = new FlatBufferBuilder(1024);
        int[] colOffsets = new int[cols.size()];
        for (int i = 0; i < cols.size(); i++) {
            int name = b.createString(cols.get(i).name());
            colOffsets[i] = Column.createColumn(b, name, cols.get(i).type(), 0, 0, -1, -1, -1, true, false, false, 0);
        }
        int columns = Header.createColumnsVector(b, colOffsets);
        int crs = Crs.createCrs(b, b.createString("EPSG"), epsg, 0, 0, 0, 0);
        int envelope = Header.createEnvelopeVector(b, new double[] {env.getMinX(), env.getMinY(), env.getMaxX(), env.getMaxY()});
        int name = b.createString("layer");
        int header = Header.createHeader(b, name, envelope, geometryType, false, false, false, false, columns, count,
                nodeSize, crs, 0, 0, 0);
        b.finishSizePrefixed(header);
        return b.sizedByteArray();
    }

    private static byte[] feature(byte geometryType, List<Col> cols, Geometry g, Object[] values) throws IOException {
        ByteBuffer props = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < cols.size(); i++) {
            Object v = values[i];
            if (v == null) {
                continue;
            }
            props.putShort((short) i);
            switch (cols.get(i).type()) {
                case ColumnType.String, ColumnType.DateTime, ColumnType.Json -> {
                    byte[] s = ((String) v).getBytes(StandardCharsets.UTF_8);
                    props.putInt(s.length).put(s);
                }
                case ColumnType.Int -> props.putInt((Integer) v);
                case ColumnType.Long -> props.putLong((Long) v);
                case ColumnType.Double -> props.putDouble((Double) v);
                case ColumnType.Bool -> props.put((byte) ((Boolean) v ? 1 : 0));
                default -> throw new IllegalArgumentException("type " + cols.get(i).type());
            }
        }
        byte[] propBytes = new byte[props.position()];
        props.flip().get(propBytes);
        FlatBufferBuilder b = new FlatBufferBuilder(1024);
        int geometry = GeometryConversions.serialize(b, g, geometryType);
        int properties = Feature.createPropertiesVector(b, propBytes);
        int feature = Feature.createFeature(b, geometry, properties, 0);
        b.finishSizePrefixed(feature);
        return b.sizedByteArray();
    }
}
