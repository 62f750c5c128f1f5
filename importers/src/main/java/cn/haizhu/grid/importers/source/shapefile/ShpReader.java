package cn.haizhu.grid.importers.source.shapefile;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.locationtech.jts.algorithm.Orientation;
import org.locationtech.jts.algorithm.PointLocation;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;

/**
 * Streams the records of a .shp file in file order, one record in memory at a time.
 *
 * <p>Supported shape types: Null, Point, MultiPoint, PolyLine, Polygon and their Z and M
 * variants; Z and M values are skipped (only X/Y are returned). MultiPatch is rejected when the
 * file is opened. Geometries are built as follows:
 * <ul>
 *   <li>Null shape → {@code null}.</li>
 *   <li>PolyLine → LineString (one part) or MultiLineString; parts with fewer than 2 points are dropped.</li>
 *   <li>Polygon → Polygon or MultiPolygon. Clockwise rings are shells, counter-clockwise rings are
 *       holes and go to the smallest shell that contains them. A hole that fits no shell becomes a
 *       shell of its own (some writers get the orientation wrong; losing the area would be worse).
 *       Unclosed rings are closed; rings with fewer than 4 points after closing are dropped.</li>
 *   <li>A record whose parts are all dropped yields an empty geometry of its kind, for the
 *       validator to reject.</li>
 * </ul>
 *
 * <p>A record that runs past the end of the file, or past the length the header declares, is an
 * {@link IOException} naming the record number and byte offset.
 */
final class ShpReader implements Closeable {
    static final int HEADER_BYTES = 100;

    private final Path file;
    private final InputStream in;
    private final long fileSize;
    /** Where the records end: the header's declared length, or the real size if that is smaller. */
    private final long declaredLength;
    private final int shapeType;
    private final GeometryFactory factory;
    private long offset;
    private int recordNumber;

    /** One record: its 1-based position in the file and its geometry (null for a Null shape). */
    record ShpRecord(int position, Geometry geometry) {
    }

    ShpReader(Path file, GeometryFactory factory) throws IOException {
        this.file = file;
        this.factory = factory;
        this.fileSize = Files.size(file);
        this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            byte[] header = new byte[HEADER_BYTES];
            if (readFully(header) < HEADER_BYTES) {
                throw new IOException(name() + " is not a shapefile: shorter than its 100-byte header");
            }
            ByteBuffer bb = ByteBuffer.wrap(header);
            int code = bb.order(ByteOrder.BIG_ENDIAN).getInt(0);
            if (code != 9994) {
                throw new IOException(name() + " is not a shapefile (file code " + code + ", expected 9994)");
            }
            this.declaredLength = (bb.order(ByteOrder.BIG_ENDIAN).getInt(24) & 0xFFFFFFFFL) * 2;
            this.shapeType = bb.order(ByteOrder.LITTLE_ENDIAN).getInt(32);
            if (shapeType == 31) {
                throw new IOException(name() + ": MultiPatch shapefiles are not supported; export the layer as polygons");
            }
            if (!isKnownType(shapeType)) {
                throw new IOException(name() + ": unknown shape type " + shapeType + " in the header");
            }
            this.offset = HEADER_BYTES;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    long fileSize() {
        return fileSize;
    }

    long offset() {
        return offset;
    }

    /** The next record, or null after the last one. */
    ShpRecord next() throws IOException {
        long end = Math.min(declaredLength, fileSize);
        if (offset >= end) {
            if (declaredLength > fileSize) {
                throw truncated(recordNumber + 1, offset, "the header declares " + declaredLength
                        + " bytes but the file has only " + fileSize);
            }
            return null;
        }
        int position = recordNumber + 1;
        long recordStart = offset;
        byte[] rh = new byte[8];
        if (readFully(rh) < 8) {
            throw truncated(position, recordStart, "the 8-byte record header is cut off");
        }
        ByteBuffer hb = ByteBuffer.wrap(rh).order(ByteOrder.BIG_ENDIAN);
        long contentBytes = (hb.getInt(4) & 0xFFFFFFFFL) * 2;
        if (recordStart + 8 + contentBytes > fileSize) {
            throw truncated(position, recordStart, "the record needs " + contentBytes + " bytes, only "
                    + (fileSize - recordStart - 8) + " are left");
        }
        if (contentBytes < 4 || contentBytes > Integer.MAX_VALUE - 8) {
            throw new IOException(name() + ": record " + position + " (byte offset " + recordStart
                    + ") has an impossible content length " + contentBytes);
        }
        byte[] content = new byte[(int) contentBytes];
        if (readFully(content) < content.length) {
            throw truncated(position, recordStart, "the record content is cut off");
        }
        recordNumber = position;
        try {
            return new ShpRecord(position, decode(ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN)));
        } catch (RuntimeException e) {
            // BufferUnderflow / IndexOutOfBounds: the counts in the record do not fit its length
            throw new IOException(name() + ": record " + position + " (byte offset " + recordStart
                    + ") is corrupt: " + e, e);
        }
    }

    private IOException truncated(int position, long recordStart, String detail) {
        return new IOException("shapefile truncated at record " + position + " (byte offset " + recordStart
                + " of " + name() + "): " + detail);
    }

    private Geometry decode(ByteBuffer b) {
        int type = b.getInt();
        switch (type) {
            case 0:
                return null;
            case 1, 11, 21: {
                return factory.createPoint(new Coordinate(b.getDouble(), b.getDouble()));
            }
            case 8, 18, 28: {
                b.position(b.position() + 32);
                int n = count(b.getInt(), b);
                Coordinate[] pts = new Coordinate[n];
                for (int i = 0; i < n; i++) {
                    pts[i] = new Coordinate(b.getDouble(), b.getDouble());
                }
                return factory.createMultiPointFromCoords(pts);
            }
            case 3, 13, 23, 5, 15, 25: {
                b.position(b.position() + 32);
                int numParts = count(b.getInt(), b);
                int numPoints = count(b.getInt(), b);
                int[] starts = new int[numParts];
                for (int i = 0; i < numParts; i++) {
                    starts[i] = b.getInt();
                }
                List<Coordinate[]> parts = new ArrayList<>(numParts);
                for (int p = 0; p < numParts; p++) {
                    int from = starts[p];
                    int to = p + 1 < numParts ? starts[p + 1] : numPoints;
                    if (from < 0 || to > numPoints || from > to) {
                        throw new IndexOutOfBoundsException("part " + p + " spans points " + from + ".." + to
                                + " of " + numPoints);
                    }
                    Coordinate[] cs = new Coordinate[to - from];
                    for (int i = 0; i < cs.length; i++) {
                        cs[i] = new Coordinate(b.getDouble(), b.getDouble());
                    }
                    parts.add(cs);
                }
                int base = type % 10;
                return base == 3 ? lines(parts) : polygons(parts);
            }
            default:
                throw new IllegalArgumentException("unsupported shape type " + type);
        }
    }

    /** Rejects counts that could not fit in what is left of the record (a corrupt count would allocate gigabytes). */
    private static int count(int n, ByteBuffer b) {
        if (n < 0 || n > b.remaining()) {
            throw new IndexOutOfBoundsException("count " + n + " does not fit the record");
        }
        return n;
    }

    private Geometry lines(List<Coordinate[]> parts) {
        List<LineString> lines = new ArrayList<>();
        for (Coordinate[] cs : parts) {
            if (cs.length >= 2) {
                lines.add(factory.createLineString(cs));
            }
        }
        return lines.size() == 1 ? lines.get(0) : factory.createMultiLineString(lines.toArray(LineString[]::new));
    }

    private Geometry polygons(List<Coordinate[]> parts) {
        List<LinearRing> shells = new ArrayList<>();
        List<LinearRing> holes = new ArrayList<>();
        for (Coordinate[] cs : parts) {
            Coordinate[] ring = close(cs);
            if (ring.length < 4) {
                continue;
            }
            LinearRing lr = factory.createLinearRing(ring);
            // shapefile shells are clockwise (y up); JTS says CCW → hole
            if (Orientation.isCCW(ring)) {
                holes.add(lr);
            } else {
                shells.add(lr);
            }
        }
        if (shells.isEmpty() && holes.isEmpty()) {
            return factory.createPolygon();
        }
        // smallest shell first, so a hole inside an island inside a lake goes to the island
        shells.sort(Comparator.comparingDouble(r -> r.getEnvelopeInternal().getArea()));
        List<List<LinearRing>> holesOf = new ArrayList<>();
        for (int i = 0; i < shells.size(); i++) {
            holesOf.add(new ArrayList<>());
        }
        List<LinearRing> orphans = new ArrayList<>();
        for (LinearRing hole : holes) {
            int owner = -1;
            Envelope he = hole.getEnvelopeInternal();
            for (int i = 0; i < shells.size() && owner < 0; i++) {
                LinearRing shell = shells.get(i);
                if (shell.getEnvelopeInternal().contains(he) && inside(hole, shell)) {
                    owner = i;
                }
            }
            if (owner >= 0) {
                holesOf.get(owner).add(hole);
            } else {
                orphans.add(hole);
            }
        }
        List<Polygon> polys = new ArrayList<>();
        for (int i = 0; i < shells.size(); i++) {
            polys.add(factory.createPolygon(shells.get(i), holesOf.get(i).toArray(LinearRing[]::new)));
        }
        for (LinearRing orphan : orphans) {
            polys.add(factory.createPolygon(factory.createLinearRing(reversed(orphan.getCoordinates()))));
        }
        return polys.size() == 1 ? polys.get(0) : factory.createMultiPolygon(polys.toArray(Polygon[]::new));
    }

    /** A hole lies in a shell when one of its vertices not on the shell's boundary is inside it. */
    private static boolean inside(LinearRing hole, LinearRing shell) {
        Coordinate[] shellPts = shell.getCoordinates();
        for (Coordinate c : hole.getCoordinates()) {
            if (PointLocation.isOnLine(c, shellPts)) {
                continue;
            }
            return PointLocation.isInRing(c, shellPts);
        }
        // every vertex touches the shell boundary: treat as inside (a degenerate but common case)
        return true;
    }

    private static Coordinate[] close(Coordinate[] cs) {
        if (cs.length == 0 || cs[0].equals2D(cs[cs.length - 1])) {
            return cs;
        }
        Coordinate[] closed = new Coordinate[cs.length + 1];
        System.arraycopy(cs, 0, closed, 0, cs.length);
        closed[cs.length] = cs[0].copy();
        return closed;
    }

    private static Coordinate[] reversed(Coordinate[] cs) {
        Coordinate[] r = new Coordinate[cs.length];
        for (int i = 0; i < cs.length; i++) {
            r[i] = cs[cs.length - 1 - i];
        }
        return r;
    }

    private static boolean isKnownType(int t) {
        return switch (t) {
            case 0, 1, 3, 5, 8, 11, 13, 15, 18, 21, 23, 25, 28 -> true;
            default -> false;
        };
    }

    private int readFully(byte[] buf) throws IOException {
        int n = 0;
        while (n < buf.length) {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        offset += n;
        return n;
    }

    private String name() {
        return String.valueOf(file.getFileName());
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
