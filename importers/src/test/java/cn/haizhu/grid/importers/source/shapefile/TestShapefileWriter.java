package cn.haizhu.grid.importers.source.shapefile;

import com.linuxense.javadbf.DBFField;
import com.linuxense.javadbf.DBFWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;

/**
 * A minimal shapefile writer for tests: .shp/.shx by hand, .dbf through javadbf with a chosen
 * charset and LDID byte, optional .cpg and .prj. Shapes are given as raw parts (rings in the order
 * they should appear in the file) so tests can control ring order and orientation.
 */
public final class TestShapefileWriter {
    /** The .prj ArcGIS writes for EPSG:4547 (CGCS2000 3-degree Gauss-Kruger, CM 114E). */
    public static final String PRJ_4547 = "PROJCS[\"CGCS2000_3_Degree_GK_CM_114E\",GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\","
            + "DATUM[\"D_China_2000\",SPHEROID[\"CGCS2000\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],"
            + "UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Gauss_Kruger\"],PARAMETER[\"False_Easting\",500000.0],"
            + "PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",114.0],PARAMETER[\"Scale_Factor\",1.0],"
            + "PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";
    public static final int POINT = 1;
    public static final int POLYGON = 5;
    static final int POINT_Z = 11;

    /** One record's shape: null for a Null shape; points have exactly one part of one coordinate. */
    public record Shape(List<Coordinate[]> parts) {
        public static Shape of(Geometry g) {
            if (g == null) {
                return null;
            }
            List<Coordinate[]> parts = new ArrayList<>();
            if (g instanceof Point p) {
                parts.add(new Coordinate[] {p.getCoordinate()});
                return new Shape(parts);
            }
            // JTS normalize: shells clockwise, holes counter-clockwise, as shapefiles want
            Geometry n = g.norm();
            for (int i = 0; i < n.getNumGeometries(); i++) {
                Polygon poly = (Polygon) n.getGeometryN(i);
                parts.add(poly.getExteriorRing().getCoordinates());
                for (int h = 0; h < poly.getNumInteriorRing(); h++) {
                    parts.add(poly.getInteriorRingN(h).getCoordinates());
                }
            }
            return new Shape(parts);
        }
    }

    private TestShapefileWriter() {
    }

    public static void write(Path dir, String base, int shapeType, List<Shape> shapes, DBFField[] fields, List<Object[]> rows,
                      Charset dbfCharset, int ldid, String cpg, String prj) throws IOException {
        Files.createDirectories(dir);
        writeShpShx(dir.resolve(base + ".shp"), dir.resolve(base + ".shx"), shapeType, shapes);
        writeDbf(dir.resolve(base + ".dbf"), fields, rows, dbfCharset, ldid);
        if (cpg != null) {
            Files.writeString(dir.resolve(base + ".cpg"), cpg, StandardCharsets.US_ASCII);
        }
        if (prj != null) {
            Files.writeString(dir.resolve(base + ".prj"), prj, StandardCharsets.US_ASCII);
        }
    }

    static void writeDbf(Path dbf, DBFField[] fields, List<Object[]> rows, Charset charset, int ldid) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DBFWriter w = new DBFWriter(bytes, charset);
        w.setFields(fields);
        for (Object[] r : rows) {
            w.addRecord(r);
        }
        w.close();
        byte[] b = bytes.toByteArray();
        b[29] = (byte) ldid;
        Files.write(dbf, b);
    }

    /** Marks record {@code index} (0-based) of a .dbf as deleted. */
    static void markDeleted(Path dbf, int index) throws IOException {
        byte[] b = Files.readAllBytes(dbf);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = bb.getShort(8) & 0xFFFF;
        int recordLength = bb.getShort(10) & 0xFFFF;
        b[headerLength + index * recordLength] = '*';
        Files.write(dbf, b);
    }

    static void writeShpShx(Path shp, Path shx, int shapeType, List<Shape> shapes) throws IOException {
        List<byte[]> contents = new ArrayList<>();
        Envelope all = new Envelope();
        for (Shape s : shapes) {
            contents.add(content(shapeType, s, all));
        }
        if (all.isNull()) {
            all.expandToInclude(0, 0);
        }
        long shpLength = 100;
        for (byte[] c : contents) {
            shpLength += 8 + c.length;
        }
        try (OutputStream out = Files.newOutputStream(shp); OutputStream idx = Files.newOutputStream(shx)) {
            out.write(header(shapeType, shpLength, all));
            idx.write(header(shapeType, 100 + 8L * contents.size(), all));
            int offset = 100;
            for (int i = 0; i < contents.size(); i++) {
                byte[] c = contents.get(i);
                ByteBuffer rh = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
                rh.putInt(i + 1).putInt(c.length / 2);
                out.write(rh.array());
                out.write(c);
                ByteBuffer ix = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
                ix.putInt(offset / 2).putInt(c.length / 2);
                idx.write(ix.array());
                offset += 8 + c.length;
            }
        }
    }

    private static byte[] header(int shapeType, long length, Envelope env) {
        ByteBuffer b = ByteBuffer.allocate(100);
        b.order(ByteOrder.BIG_ENDIAN).putInt(0, 9994).putInt(24, (int) (length / 2));
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(28, 1000).putInt(32, shapeType);
        b.putDouble(36, env.getMinX()).putDouble(44, env.getMinY()).putDouble(52, env.getMaxX()).putDouble(60, env.getMaxY());
        return b.array();
    }

    private static byte[] content(int shapeType, Shape s, Envelope all) {
        if (s == null) {
            return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0).array();
        }
        Envelope env = new Envelope();
        int points = 0;
        for (Coordinate[] part : s.parts()) {
            for (Coordinate c : part) {
                env.expandToInclude(c);
            }
            points += part.length;
        }
        all.expandToInclude(env);
        if (shapeType == POINT || shapeType == POINT_Z) {
            Coordinate c = s.parts().get(0)[0];
            ByteBuffer b = ByteBuffer.allocate(shapeType == POINT ? 20 : 36).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(shapeType).putDouble(c.x).putDouble(c.y);
            if (shapeType == POINT_Z) {
                b.putDouble(Double.isNaN(c.getZ()) ? 0 : c.getZ()).putDouble(0); // Z then M
            }
            return b.array();
        }
        int parts = s.parts().size();
        ByteBuffer b = ByteBuffer.allocate(4 + 32 + 8 + 4 * parts + 16 * points).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(shapeType).putDouble(env.getMinX()).putDouble(env.getMinY()).putDouble(env.getMaxX()).putDouble(env.getMaxY());
        b.putInt(parts).putInt(points);
        int start = 0;
        for (Coordinate[] part : s.parts()) {
            b.putInt(start);
            start += part.length;
        }
        for (Coordinate[] part : s.parts()) {
            for (Coordinate c : part) {
                b.putDouble(c.x).putDouble(c.y);
            }
        }
        return b.array();
    }
}
