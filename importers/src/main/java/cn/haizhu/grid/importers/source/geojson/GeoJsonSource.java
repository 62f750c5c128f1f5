package cn.haizhu.grid.importers.source.geojson;

import cn.haizhu.grid.importers.source.RecordSource;
import cn.haizhu.grid.importers.source.SourceLayout;
import cn.haizhu.grid.importers.source.SourceRecord;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;

/**
 * A GeoJSON file as a {@link RecordSource}: a FeatureCollection, a single Feature, or
 * newline-delimited GeoJSON (one Feature per line, also RFC 8142 GeoJSON text sequences with their
 * record separators), streamed feature by feature with Jackson's {@link JsonParser}.
 *
 * <h2>Two passes</h2>
 * {@link #open} makes a first, cheap pass over the whole file that only tokenizes (geometries are
 * skipped, nothing is kept but property names). It yields:
 * <ul>
 *   <li>the columns: the union of all features' property names, in order of first appearance, so
 *       {@link #columns()} is final before the first record and staging tables can be created up
 *       front (a feature lacking a property gets null there);</li>
 *   <li>the declared CRS, wherever the {@code crs} member stands in the file (it may follow the
 *       features);</li>
 *   <li>a syntax check: invalid or truncated JSON fails in {@code open}, with line and column,
 *       before a single record is imported.</li>
 * </ul>
 * The price is reading the file twice (tokenizing runs at a few hundred MB/s; the second pass
 * usually comes from the page cache). Memory stays constant in both passes except for the set of
 * distinct property names.
 *
 * <h2>Values</h2>
 * Properties become text: strings as they are, numbers exactly as written (no re-rounding),
 * booleans "true"/"false", JSON null as null, nested objects and arrays as their compact JSON text.
 * The feature-level "id" member is not a column. {@link SourceRecord#row()} is the 1-based feature
 * number. Geometries (Point, MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon,
 * GeometryCollection; a null geometry gives null) become JTS geometries in the file's own
 * coordinates with full double precision; a third ordinate is kept as Z, further ones are dropped.
 * Their SRID is the declared EPSG code, or 4326 when nothing is declared (RFC 7946).
 * A geometry whose structure is unusable (a ring of fewer than 4 positions or not closed, an unknown
 * type, coordinates nested wrongly) is an {@link IOException} naming the feature.
 *
 * <h2>Encoding</h2>
 * UTF-8 (RFC 7946), or UTF-16/32 with a BOM, detected by Jackson. A non-UTF encoding can be
 * declared (some Chinese desktop GIS exports write GBK): bytes invalid in it are an error, never
 * replaced.
 */
public final class GeoJsonSource implements RecordSource {
    private static final JsonFactory JSON = JsonFactory.builder()
            // coordinates and property texts of real files can be long; a sane cap still applies
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(200_000_000).build())
            .build();
    private static final Pattern EPSG = Pattern.compile(
            "(?i)^(?:urn:ogc:def:crs:EPSG:[0-9.]*:|EPSG:+|https?://www\\.opengis\\.net/def/crs/EPSG/[0-9.]+/)0*(\\d{1,9})$");
    private static final Pattern CRS84 = Pattern.compile(
            "(?i)^(?:urn:ogc:def:crs:OGC:[0-9.]*:CRS84|https?://www\\.opengis\\.net/def/crs/OGC/[0-9.]+/CRS84|CRS84)$");

    private final Path file;
    private final Charset charset;
    private final long size;
    private final SourceLayout layout;
    private final Map<String, Integer> columnIndex = new HashMap<>();
    private final GeometryFactory geometries;
    private final JsonParser p;

    private enum State { BETWEEN_ROOTS, IN_ROOT_OBJECT, IN_FEATURES, END }

    private State state = State.BETWEEN_ROOTS;
    private long featureNumber;
    private String rootType;
    private Geometry rootGeometry;
    private boolean rootHasGeometry;
    private boolean rootHadFeatures;
    private List<String> rootValues;

    private GeoJsonSource(Path file, Charset charset, List<String> columns, String crs) throws IOException {
        this.file = file;
        this.charset = charset;
        this.size = Files.size(file);
        this.layout = SourceLayout.features(columns, crs);
        for (int i = 0; i < columns.size(); i++) {
            columnIndex.put(columns.get(i), i);
        }
        int srid = 4326;
        if (crs != null && crs.matches("EPSG:\\d{1,9}")) {
            srid = Integer.parseInt(crs.substring(5));
        }
        this.geometries = new GeometryFactory(new PrecisionModel(), srid);
        this.p = parser(file, charset);
    }

    /** Opens a GeoJSON file in UTF-8 (or UTF-16/32 with a BOM). */
    public static GeoJsonSource open(Path file) throws IOException {
        return open(file, null);
    }

    /**
     * Opens a GeoJSON file and makes the first pass (see the class comment).
     *
     * @param encodingOrNull a declared non-UTF encoding, or null for UTF-8/16/32 as JSON allows
     * @throws IOException for invalid JSON (with line and column) or content that is not GeoJSON features
     */
    public static GeoJsonSource open(Path file, Charset encodingOrNull) throws IOException {
        Charset cs = encodingOrNull == null || encodingOrNull.equals(StandardCharsets.UTF_8) ? null : encodingOrNull;
        FirstPass first = new FirstPass();
        try (JsonParser scan = parser(file, cs)) {
            first.run(file, scan);
        }
        return new GeoJsonSource(file, cs, first.names, first.crs);
    }

    private static JsonParser parser(Path file, Charset cs) throws IOException {
        InputStream in = new RecordSeparatorsAsSpaces(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        try {
            if (cs == null) {
                return JSON.createParser(in);
            }
            return JSON.createParser(new InputStreamReader(in, cs.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)));
        } catch (IOException | RuntimeException e) {
            // Jackson reads the first bytes to detect the encoding, and leaves the stream open when they are not JSON
            in.close();
            throw e;
        }
    }

    @Override
    public SourceLayout layout() {
        return layout;
    }

    @Override
    public double progress() {
        if (size <= 0) {
            return -1;
        }
        long at = charset == null ? p.currentLocation().getByteOffset() : p.currentLocation().getCharOffset();
        return at < 0 ? -1 : Math.min(1.0, (double) at / size);
    }

    @Override
    public void close() throws IOException {
        p.close();
    }

    @Override
    public SourceRecord next() throws IOException {
        try {
            while (true) {
                switch (state) {
                    case END:
                        return null;
                    case BETWEEN_ROOTS: {
                        JsonToken t = p.nextToken();
                        if (t == null) {
                            state = State.END;
                            return null;
                        }
                        if (t == JsonToken.START_OBJECT) {
                            state = State.IN_ROOT_OBJECT;
                            rootType = null;
                            rootGeometry = null;
                            rootHasGeometry = false;
                            rootValues = null;
                            rootHadFeatures = false;
                        } else if (t == JsonToken.START_ARRAY) {
                            // a bare array of features: not GeoJSON, but some tools write it
                            state = State.IN_FEATURES;
                        } else {
                            throw notFeatures("a top-level " + describe(t));
                        }
                        break;
                    }
                    case IN_ROOT_OBJECT: {
                        JsonToken t = p.nextToken();
                        if (t == JsonToken.END_OBJECT) {
                            state = State.BETWEEN_ROOTS;
                            boolean feature = rootType == null ? !rootHadFeatures && (rootHasGeometry || rootValues != null)
                                    : rootType.equals("Feature");
                            if (feature) {
                                return new SourceRecord(++featureNumber, values(rootValues), rootGeometry);
                            }
                            break;
                        }
                        String name = p.currentName();
                        JsonToken v = p.nextToken();
                        switch (name) {
                            case "features":
                                rootHadFeatures = true;
                                if (v == JsonToken.START_ARRAY) {
                                    state = State.IN_FEATURES;
                                } else {
                                    p.skipChildren();
                                }
                                break;
                            case "type":
                                rootType = v == JsonToken.VALUE_STRING ? p.getText() : null;
                                break;
                            case "geometry":
                                rootHasGeometry = true;
                                rootGeometry = readGeometry(featureNumber + 1);
                                break;
                            case "properties":
                                rootValues = readProperties();
                                break;
                            default:
                                p.skipChildren();
                        }
                        break;
                    }
                    case IN_FEATURES: {
                        JsonToken t = p.nextToken();
                        if (t == JsonToken.END_ARRAY) {
                            state = p.getParsingContext().inRoot() ? State.BETWEEN_ROOTS : State.IN_ROOT_OBJECT;
                            break;
                        }
                        if (t != JsonToken.START_OBJECT) {
                            throw new IOException(at() + ": feature " + (featureNumber + 1) + " is " + describe(t)
                                    + ", not a Feature object");
                        }
                        return readFeature();
                    }
                    default:
                        throw new IllegalStateException(state.toString());
                }
            }
        } catch (JsonProcessingException e) {
            throw invalidJson(file, e);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(at() + ": the file is not valid " + charset + "; try --encoding UTF-8", e);
        }
    }

    private SourceRecord readFeature() throws IOException {
        long n = ++featureNumber;
        Geometry g = null;
        List<String> values = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (name.equals("geometry")) {
                g = readGeometry(n);
            } else if (name.equals("properties")) {
                values = readProperties();
            } else {
                p.skipChildren();
            }
        }
        return new SourceRecord(n, values(values), g);
    }

    private List<String> values(List<String> v) {
        if (v == null) {
            return Arrays.asList(new String[layout.columns().size()]);
        }
        return v;
    }

    /** At the value of "properties": reads it into a list aligned with the columns. */
    private List<String> readProperties() throws IOException {
        String[] out = new String[layout.columns().size()];
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return Arrays.asList(out);
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IOException(at() + ": feature " + (featureNumber + 1) + " has properties that are "
                    + describe(p.currentToken()) + ", not an object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            Integer i = columnIndex.get(p.currentName());
            JsonToken v = p.nextToken();
            if (i == null) {
                // only possible if the file changed between the passes
                p.skipChildren();
                continue;
            }
            out[i] = valueText(p, v);
        }
        return Arrays.asList(out);
    }

    static String valueText(JsonParser p, JsonToken v) throws IOException {
        switch (v) {
            case VALUE_NULL:
                return null;
            case VALUE_STRING:
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return p.getText();
            case VALUE_TRUE:
                return "true";
            case VALUE_FALSE:
                return "false";
            case START_OBJECT:
            case START_ARRAY: {
                StringWriter w = new StringWriter();
                try (JsonGenerator g = JSON.createGenerator(w)) {
                    copyExactly(p, g);
                }
                return w.toString();
            }
            default:
                return p.getText();
        }
    }

    /** Copies the structure at the parser; "Exact" keeps numbers as written instead of re-printing doubles. */
    private static void copyExactly(JsonParser p, JsonGenerator g) throws IOException {
        int depth = 0;
        do {
            JsonToken t = p.currentToken();
            g.copyCurrentEventExact(p);
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                depth++;
            } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                depth--;
            }
            if (depth > 0) {
                p.nextToken();
            }
        } while (depth > 0);
    }

    // ---- geometry ----------------------------------------------------------------------------

    /** At the value of "geometry": null or a geometry object. */
    private Geometry readGeometry(long feature) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_OBJECT) {
            throw badGeometry(feature, "it is " + describe(t) + ", not an object");
        }
        String type = null;
        Object coords = null;
        List<Geometry> members = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "type":
                    type = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    break;
                case "coordinates":
                    coords = v == JsonToken.VALUE_NULL ? null : readCoordinates(feature);
                    break;
                case "geometries":
                    if (v == JsonToken.START_ARRAY) {
                        members = new ArrayList<>();
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            Geometry m = readGeometry(feature);
                            if (m != null) {
                                members.add(m);
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                    break;
                default:
                    p.skipChildren();
            }
        }
        if (type == null) {
            throw badGeometry(feature, "it has no \"type\"");
        }
        try {
            return build(type, coords, members, feature);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw badGeometry(feature, type + ": " + e.getMessage());
        }
    }

    /** Nested arrays: a position is a double[], anything deeper a List. */
    private Object readCoordinates(long feature) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw badGeometry(feature, "coordinates must be arrays, found " + describe(p.currentToken()));
        }
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            double[] pos = new double[3];
            int n = 0;
            while (t != JsonToken.END_ARRAY) {
                if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                    throw badGeometry(feature, "a position holds " + describe(t) + ", not a number");
                }
                if (n < 3) {
                    pos[n] = p.getDoubleValue();
                }
                n++;
                t = p.nextToken();
            }
            if (n < 2) {
                throw badGeometry(feature, "a position has " + n + " number(s), at least 2 are needed");
            }
            return n == 2 ? new double[] {pos[0], pos[1]} : pos;
        }
        List<Object> list = new ArrayList<>();
        while (t != JsonToken.END_ARRAY) {
            list.add(readCoordinates(feature));
            t = p.nextToken();
        }
        return list;
    }

    private Geometry build(String type, Object c, List<Geometry> members, long feature) throws IOException {
        switch (type) {
            case "Point":
                return c == null || (c instanceof List<?> l && l.isEmpty())
                        ? geometries.createPoint() : geometries.createPoint(coordinate(c, feature));
            case "MultiPoint":
                return geometries.createMultiPoint(
                        parts(c, feature, Point[]::new, p -> geometries.createPoint(coordinate(p, feature))));
            case "LineString":
                return geometries.createLineString(coordinates(c, feature));
            case "MultiLineString":
                return geometries.createMultiLineString(
                        parts(c, feature, LineString[]::new, p -> geometries.createLineString(coordinates(p, feature))));
            case "Polygon":
                return polygon(c, feature);
            case "MultiPolygon":
                return geometries.createMultiPolygon(parts(c, feature, Polygon[]::new, p -> polygon(p, feature)));
            case "GeometryCollection":
                return geometries.createGeometryCollection(
                        members == null ? new Geometry[0] : members.toArray(new Geometry[0]));
            default:
                throw badGeometry(feature, "unknown geometry type \"" + type + "\"");
        }
    }

    /** Builds one part of a multi-geometry from its coordinates. */
    private interface Part<T> {
        T build(Object coordinates) throws IOException;
    }

    /** The parts of a multi-geometry: each member of the coordinates array, built by {@code part}. */
    private <T extends Geometry> T[] parts(Object c, long feature, java.util.function.IntFunction<T[]> array, Part<T> part)
            throws IOException {
        List<Object> l = list(c, feature);
        T[] out = array.apply(l.size());
        for (int i = 0; i < out.length; i++) {
            out[i] = part.build(l.get(i));
        }
        return out;
    }

    private Polygon polygon(Object c, long feature) throws IOException {
        List<Object> rings = list(c, feature);
        if (rings.isEmpty()) {
            return geometries.createPolygon();
        }
        LinearRing shell = geometries.createLinearRing(coordinates(rings.get(0), feature));
        LinearRing[] holes = new LinearRing[rings.size() - 1];
        for (int i = 1; i < rings.size(); i++) {
            holes[i - 1] = geometries.createLinearRing(coordinates(rings.get(i), feature));
        }
        return geometries.createPolygon(shell, holes);
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object c, long feature) throws IOException {
        if (c == null) {
            return List.of();
        }
        if (!(c instanceof List)) {
            throw badGeometry(feature, "coordinates are nested too shallowly");
        }
        return (List<Object>) c;
    }

    private Coordinate[] coordinates(Object c, long feature) throws IOException {
        List<Object> l = list(c, feature);
        Coordinate[] out = new Coordinate[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = coordinate(l.get(i), feature);
        }
        return out;
    }

    private Coordinate coordinate(Object c, long feature) throws IOException {
        if (!(c instanceof double[] d)) {
            throw badGeometry(feature, "coordinates are nested too deeply");
        }
        return d.length == 2 ? new Coordinate(d[0], d[1]) : new Coordinate(d[0], d[1], d[2]);
    }

    // ---- errors ------------------------------------------------------------------------------

    private IOException badGeometry(long feature, String why) {
        return new IOException(at() + ": feature " + feature + " has an unusable geometry: " + why);
    }

    private IOException notFeatures(String what) {
        return new IOException(file.getFileName() + ": not GeoJSON features: found " + what
                + "; expected a FeatureCollection, a Feature, or one Feature per line");
    }

    private String at() {
        JsonLocation l = p.currentLocation();
        return file.getFileName() + " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")";
    }

    static IOException invalidJson(Path file, JsonProcessingException e) {
        JsonLocation l = e.getLocation();
        String where = l == null ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
        String msg = e.getOriginalMessage();
        int nl = msg == null ? -1 : msg.indexOf('\n');
        if (nl > 0) {
            msg = msg.substring(0, nl);
        }
        if (e instanceof com.fasterxml.jackson.core.io.JsonEOFException
                || (msg != null && msg.contains("end-of-input"))) {
            msg = "the file ends too early (truncated?): " + msg;
        }
        return new IOException(file.getFileName() + ": invalid JSON" + where + ": " + msg, e);
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the file";
        }
        switch (t) {
            case START_ARRAY:
                return "an array";
            case START_OBJECT:
                return "an object";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_NULL:
                return "null";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            default:
                return t.asString() == null ? t.name() : t.asString();
        }
    }

    /** Turns a crs member's name (or legacy EPSG code) into "EPSG:nnnn"; other names are returned as is. */
    static String crsName(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String n = name.strip();
        Matcher m = EPSG.matcher(n);
        if (m.matches()) {
            return "EPSG:" + Integer.parseInt(m.group(1));
        }
        if (CRS84.matcher(n).matches()) {
            return "EPSG:4326";
        }
        return n;
    }

    // ---- first pass --------------------------------------------------------------------------

    /** Collects property names and the crs; validates the JSON syntax of the whole file. */
    private static final class FirstPass {
        final List<String> names = new ArrayList<>();
        final Map<String, Boolean> seen = new LinkedHashMap<>();
        String crs;
        boolean sawFeatures;

        void run(Path file, JsonParser p) throws IOException {
            try {
                JsonToken t;
                while ((t = p.nextToken()) != null) {
                    if (t == JsonToken.START_OBJECT) {
                        root(p, file);
                    } else if (t == JsonToken.START_ARRAY) {
                        features(p);
                    } else {
                        throw new IOException(file.getFileName() + ": not GeoJSON features: found a top-level "
                                + describe(t) + "; expected a FeatureCollection, a Feature, or one Feature per line");
                    }
                }
            } catch (JsonProcessingException e) {
                throw invalidJson(file, e);
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new IOException(file.getFileName() + ": at line " + p.currentLocation().getLineNr()
                        + ": the file is not valid in the declared encoding; try --encoding UTF-8", e);
            }
            if (!sawFeatures) {
                throw new IOException(file.getFileName()
                        + ": not GeoJSON features: no Feature or FeatureCollection found (a bare geometry is not supported)");
            }
        }

        private void root(JsonParser p, Path file) throws IOException {
            String type = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "type":
                        type = v == JsonToken.VALUE_STRING ? p.getText() : null;
                        break;
                    case "features":
                        if (v == JsonToken.START_ARRAY) {
                            features(p);
                        } else {
                            p.skipChildren();
                        }
                        break;
                    case "properties":
                        sawFeatures = true;
                        properties(p);
                        break;
                    case "geometry":
                        sawFeatures = true;
                        p.skipChildren();
                        break;
                    case "crs":
                        String c = crs(p);
                        if (crs == null) {
                            crs = c;
                        }
                        break;
                    default:
                        p.skipChildren();
                }
            }
            if ("Feature".equals(type) || "FeatureCollection".equals(type)) {
                sawFeatures = true;
            }
        }

        private void features(JsonParser p) throws IOException {
            sawFeatures = true;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    if (name.equals("properties")) {
                        properties(p);
                    } else {
                        p.skipChildren();
                    }
                }
            }
        }

        private void properties(JsonParser p) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (seen.putIfAbsent(name, Boolean.TRUE) == null) {
                    names.add(name);
                }
                p.nextToken();
                p.skipChildren();
            }
        }

        /** {"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4547"}} or the 2008 {"type":"EPSG","properties":{"code":4547}}. */
        private static String crs(JsonParser p) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                return null;
            }
            String found = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals("properties") && v == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName().toLowerCase(Locale.ROOT);
                        JsonToken pv = p.nextToken();
                        if (key.equals("name") && pv == JsonToken.VALUE_STRING) {
                            found = crsName(p.getText());
                        } else if (key.equals("code") && (pv == JsonToken.VALUE_NUMBER_INT || pv == JsonToken.VALUE_STRING)) {
                            found = crsName("EPSG:" + p.getText().strip());
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            return found;
        }
    }

    /**
     * RFC 8142 text sequences put an ASCII RS (0x1E) before each record; it can never occur inside
     * valid JSON text (control characters in strings must be escaped), so it is read as a space.
     */
    private static final class RecordSeparatorsAsSpaces extends FilterInputStream {
        RecordSeparatorsAsSpaces(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            return b == 0x1E ? ' ' : b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            for (int i = off; i < off + n; i++) {
                if (b[i] == 0x1E) {
                    b[i] = ' ';
                }
            }
            return n;
        }
    }
}
