package cn.haizhu.grid.importers.crs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the WKT of a {@code .prj} file (ESRI WKT as ArcGIS writes it, OGC WKT1 as GDAL/QGIS write it,
 * and the common parts of WKT2) and recognises the coordinate system by names and parameters.
 */
final class Wkt {
    private Wkt() {}

    /** True when the text looks like WKT rather than a code or a name. */
    static boolean looksLikeWkt(String s) {
        return s.matches("(?s)\\s*[A-Za-z_][A-Za-z0-9_]*\\s*[\\[(].*");
    }

    // ---- tree -------------------------------------------------------------------------------

    /** One {@code KEYWORD[arg, arg, ...]} element; args are String, Double or Node. */
    static final class Node {
        final String keyword;
        final List<Object> args = new ArrayList<>();

        Node(String keyword) {
            this.keyword = keyword.toUpperCase(Locale.ROOT);
        }

        boolean is(String... keywords) {
            for (String k : keywords) {
                if (keyword.equals(k)) {
                    return true;
                }
            }
            return false;
        }

        /** The first argument when it is a quoted string, else "". */
        String name() {
            return !args.isEmpty() && args.get(0) instanceof String s ? s : "";
        }

        /** The {@code i}-th argument as a number, or NaN. */
        double number(int i) {
            if (i < args.size()) {
                Object a = args.get(i);
                if (a instanceof Double d) {
                    return d;
                }
                if (a instanceof String s) {
                    try {
                        return Double.parseDouble(s.trim());
                    } catch (NumberFormatException e) {
                        return Double.NaN;
                    }
                }
            }
            return Double.NaN;
        }

        /** The first direct child with one of these keywords, or null. */
        Node child(String... keywords) {
            for (Object a : args) {
                if (a instanceof Node n && n.is(keywords)) {
                    return n;
                }
            }
            return null;
        }

        List<Node> children(String... keywords) {
            List<Node> out = new ArrayList<>();
            for (Object a : args) {
                if (a instanceof Node n && n.is(keywords)) {
                    out.add(n);
                }
            }
            return out;
        }

        /** Every descendant with one of these keywords, not descending into {@code skip}. */
        void collect(List<Node> out, Node skip, String... keywords) {
            for (Object a : args) {
                if (a instanceof Node n && n != skip) {
                    if (n.is(keywords)) {
                        out.add(n);
                    }
                    n.collect(out, skip, keywords);
                }
            }
        }
    }

    // ---- parser -----------------------------------------------------------------------------

    static Node parse(String text) {
        Parser p = new Parser(text);
        p.skipSpace();
        Node n = p.node(p.identifier());
        p.skipSpace();
        if (p.pos < p.s.length()) {
            throw p.error("unexpected text after the end of the WKT");
        }
        return n;
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        IllegalArgumentException error(String what) {
            int from = Math.max(0, pos - 30);
            int to = Math.min(s.length(), pos + 30);
            return new IllegalArgumentException("malformed WKT: " + what + " at character " + pos
                    + " near \"" + s.substring(from, to).replaceAll("\\s+", " ") + "\"");
        }

        void skipSpace() {
            while (pos < s.length() && (Character.isWhitespace(s.charAt(pos)) || s.charAt(pos) == '\uFEFF')) {
                pos++;
            }
        }

        String identifier() {
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            if (start == pos) {
                throw error("expected a keyword");
            }
            return s.substring(start, pos);
        }

        Node node(String keyword) {
            Node n = new Node(keyword);
            skipSpace();
            if (pos >= s.length() || (s.charAt(pos) != '[' && s.charAt(pos) != '(')) {
                throw error("expected '[' after " + keyword);
            }
            char close = s.charAt(pos) == '[' ? ']' : ')';
            pos++;
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == close) {
                pos++;
                return n;
            }
            while (true) {
                skipSpace();
                n.args.add(value());
                skipSpace();
                if (pos >= s.length()) {
                    throw error("unclosed " + keyword + "[");
                }
                char c = s.charAt(pos++);
                if (c == close) {
                    return n;
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or '" + close + "' in " + keyword);
                }
            }
        }

        Object value() {
            if (pos >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(pos);
            if (c == '"') {
                StringBuilder b = new StringBuilder();
                pos++;
                while (true) {
                    if (pos >= s.length()) {
                        throw error("unclosed quoted string");
                    }
                    char d = s.charAt(pos++);
                    if (d == '"') {
                        if (pos < s.length() && s.charAt(pos) == '"') {
                            b.append('"');
                            pos++;
                        } else {
                            return b.toString();
                        }
                    } else {
                        b.append(d);
                    }
                }
            }
            if (c == '-' || c == '+' || c == '.' || Character.isDigit(c)) {
                int start = pos;
                pos++;
                while (pos < s.length() && "0123456789.eE+-".indexOf(s.charAt(pos)) >= 0) {
                    pos++;
                }
                try {
                    return Double.parseDouble(s.substring(start, pos));
                } catch (NumberFormatException e) {
                    throw error("bad number");
                }
            }
            String id = identifier();
            skipSpace();
            if (pos < s.length() && (s.charAt(pos) == '[' || s.charAt(pos) == '(')) {
                return node(id);
            }
            return id; // WKT enumeration such as AXIS["x", EAST]
        }
    }

    // ---- recognition ------------------------------------------------------------------------

    private enum Datum { WGS84, CGCS2000 }

    private static final double DEGREE = Math.PI / 180.0;

    /** Recognises the WKT of a .prj file; IllegalArgumentException quoting the system's name when unknown. */
    static SourceCrs recognise(String text) {
        Node root = parse(text.strip());
        if (root.is("COMPD_CS", "COMPOUNDCRS")) {
            Node horizontal = root.child("PROJCS", "PROJCRS", "PROJECTEDCRS", "GEOGCS", "GEOGCRS", "GEODCRS",
                    "GEOGRAPHICCRS", "GEODETICCRS");
            if (horizontal == null) {
                throw new IllegalArgumentException("compound WKT \"" + root.name() + "\" has no horizontal coordinate system");
            }
            root = horizontal;
        }
        SourceCrs byAuthority = byAuthority(root);
        if (byAuthority != null) {
            return byAuthority;
        }
        if (root.is("PROJCS", "PROJCRS", "PROJECTEDCRS")) {
            return projected(root);
        }
        if (root.is("GEOGCS", "GEOGCRS", "GEODCRS", "GEOGRAPHICCRS", "GEODETICCRS")) {
            Datum d = datum(root, root.name());
            checkGeographicUnits(root, root.name());
            return CoordinateSystems.byCode(d == Datum.CGCS2000 ? 4490 : 4326);
        }
        throw new IllegalArgumentException("WKT " + root.keyword + "[\"" + root.name()
                + "\"] is not a horizontal coordinate system (expected PROJCS or GEOGCS)");
    }

    /** A top-level AUTHORITY["EPSG","4547"] (WKT1) or ID["EPSG",4547] (WKT2) naming a code we support. */
    private static SourceCrs byAuthority(Node root) {
        for (Node a : root.children("AUTHORITY", "ID")) {
            if (a.name().equalsIgnoreCase("EPSG")) {
                double code = a.number(1);
                if (!Double.isNaN(code) && CoordinateSystems.isDirectlySupported((int) code)) {
                    return CoordinateSystems.byCode((int) code);
                }
            }
        }
        return null;
    }

    private static SourceCrs projected(Node projcs) {
        String name = projcs.name();
        String quoted = "\"" + name + "\"";
        Node geog = projcs.child("GEOGCS", "BASEGEOGCRS", "BASEGEODCRS", "GEOGCRS", "GEODCRS");
        if (geog == null) {
            throw new IllegalArgumentException("projected WKT " + quoted + " has no GEOGCS");
        }
        Datum datum = datum(geog, name);
        checkLinearUnits(projcs, geog, quoted);

        Node methodNode = projcs.child("PROJECTION");
        if (methodNode == null) {
            List<Node> methods = new ArrayList<>();
            projcs.collect(methods, geog, "METHOD");
            methodNode = methods.isEmpty() ? null : methods.get(0);
        }
        String method = methodNode == null ? "" : methodNode.name();
        String m = key(method);
        String n = key(name);
        Map<String, Double> params = parameters(projcs, geog);

        boolean webMercatorName = n.contains("WEBMERCATOR") || n.contains("PSEUDOMERCATOR")
                || n.contains("POPULARVISUALISATION") || n.contains("GOOGLEMAPSGLOBALMERCATOR");
        boolean webMercatorMethod = m.contains("MERCATORAUXILIARYSPHERE") || m.contains("POPULARVISUALISATION")
                || m.contains("PSEUDOMERCATOR");
        boolean sphericalMercator = m.startsWith("MERCATOR") && isWebSphere(geog);
        if (webMercatorMethod || sphericalMercator || (webMercatorName && m.startsWith("MERCATOR"))) {
            if (param(params, 0, "FALSEEASTING") != 0 || param(params, 0, "FALSENORTHING") != 0
                    || param(params, 0, "CENTRALMERIDIAN", "LONGITUDEOFNATURALORIGIN", "LONGITUDEOFORIGIN") != 0) {
                throw new IllegalArgumentException("WKT " + quoted
                        + " is a Web Mercator with a non-zero false origin or central meridian; not supported");
            }
            return CoordinateSystems.byCode(3857);
        }
        if (m.contains("TRANSVERSEMERCATOR") || m.contains("GAUSSKRUGER") || m.contains("GAUSSKRUEGER") || m.contains("GAUSSKRÜGER")) {
            double cm = param(params, Double.NaN, "CENTRALMERIDIAN", "LONGITUDEOFNATURALORIGIN", "LONGITUDEOFORIGIN",
                    "LONGITUDEOFCENTER", "LONGITUDEOFCENTRE");
            if (Double.isNaN(cm)) {
                throw new IllegalArgumentException("WKT " + quoted + " is a transverse Mercator without a central meridian");
            }
            double fe = param(params, 0, "FALSEEASTING");
            double fn = param(params, 0, "FALSENORTHING");
            double k = param(params, 1, "SCALEFACTOR", "SCALEFACTORATNATURALORIGIN");
            double lat0 = param(params, 0, "LATITUDEOFORIGIN", "LATITUDEOFNATURALORIGIN", "LATITUDEOFCENTER");
            if (cm == 114 && k == 1 && fn == 0 && lat0 == 0) {
                if (fe == 500_000) {
                    return CoordinateSystems.byCode(4547);
                }
                if (fe == 38_500_000) {
                    return CoordinateSystems.byCode(4526);
                }
            }
            String ellps = datum == Datum.CGCS2000 ? "GRS80" : "WGS84";
            String proj4 = "+proj=tmerc +lat_0=" + num(lat0) + " +lon_0=" + num(cm) + " +k=" + num(k)
                    + " +x_0=" + num(fe) + " +y_0=" + num(fn) + " +ellps=" + ellps + " +units=m +no_defs";
            String label = datum + " Transverse Mercator lon_0=" + num(cm) + " x_0=" + num(fe)
                    + (k == 1 ? "" : " k=" + num(k)) + (fn == 0 ? "" : " y_0=" + num(fn))
                    + (lat0 == 0 ? "" : " lat_0=" + num(lat0)) + " (" + quoted + ")";
            return ProjectedCrs.fromProj4(label, proj4);
        }
        throw new IllegalArgumentException("unsupported projection in WKT: PROJCS " + quoted
                + (method.isEmpty() ? "" : " uses projection \"" + method + "\"")
                + "; supported projections are Gauss-Kruger/Transverse Mercator on CGCS2000 or WGS84 and Web Mercator");
    }

    private static Datum datum(Node geog, String context) {
        Node datumNode = geog.child("DATUM", "GEODETICDATUM", "TRF");
        if (datumNode == null) {
            Node ensemble = geog.child("ENSEMBLE");
            datumNode = ensemble;
        }
        Node spheroid = datumNode == null ? null : datumNode.child("SPHEROID", "ELLIPSOID");
        String all = key(geog.name() + " " + (datumNode == null ? "" : datumNode.name()) + " "
                + (spheroid == null ? "" : spheroid.name()));
        String quoted = "\"" + context + "\"" + (context.equals(geog.name()) ? "" : " (GEOGCS \"" + geog.name() + "\")");
        if (all.contains("BEIJING") || all.contains("XIAN") || all.contains("KRASS") || all.contains("KRASOVSK")
                || all.contains("IAG1975") || all.contains("IAG75") || all.contains("GUANGZHOU")) {
            throw new IllegalArgumentException("WKT " + quoted + " is on the Beijing 1954, Xian 1980 or a local datum; "
                    + "going to WGS84 needs a local datum transformation (7 parameters) that the importer does not have. "
                    + "Have the data converted to CGCS2000 (EPSG:4490/4547) first");
        }
        Node primem = geog.child("PRIMEM", "PRIMEMERIDIAN");
        if (primem != null && primem.number(1) != 0) {
            throw new IllegalArgumentException("WKT " + quoted + " uses a prime meridian other than Greenwich; not supported");
        }
        if (isWebSphere(geog)) {
            return Datum.WGS84; // the Web Mercator sphere ("Popular Visualisation", "Major Auxiliary Sphere"): WGS84 lon/lat
        }
        if (all.contains("CGCS2000") || all.contains("CHINA2000") || all.contains("CHINAGEODETICCOORDINATESYSTEM2000")) {
            return Datum.CGCS2000;
        }
        if (all.contains("WGS84") || all.contains("WGS1984")) {
            return Datum.WGS84;
        }
        if (spheroid != null && spheroid.number(1) == 6378137.0) {
            double rf = spheroid.number(2);
            if (Math.abs(rf - 298.257222101) < 1e-6) {
                return Datum.CGCS2000; // GRS80 ellipsoid: CGCS2000, ITRF-based, within centimetres to a metre of WGS84
            }
            if (Math.abs(rf - 298.257223563) < 1e-6) {
                return Datum.WGS84;
            }
        }
        throw new IllegalArgumentException("unsupported datum in WKT " + quoted
                + (datumNode == null ? "" : ": DATUM \"" + datumNode.name() + "\"")
                + "; supported datums are WGS84 and CGCS2000");
    }

    private static boolean isWebSphere(Node geog) {
        Node d = geog.child("DATUM", "GEODETICDATUM");
        Node sph = d == null ? null : d.child("SPHEROID", "ELLIPSOID");
        if (sph == null) {
            return false;
        }
        double rf = sph.number(2);
        return sph.number(1) == 6378137.0 && (rf == 0 || Double.isInfinite(rf));
    }

    private static void checkGeographicUnits(Node geog, String quotedName) {
        Node unit = geog.child("UNIT", "ANGLEUNIT");
        if (unit != null && Math.abs(unit.number(1) - DEGREE) > 1e-12) {
            throw new IllegalArgumentException("WKT \"" + quotedName + "\" uses angle unit \"" + unit.name()
                    + "\"; only degrees are supported");
        }
    }

    private static void checkLinearUnits(Node projcs, Node geog, String quoted) {
        List<Node> units = new ArrayList<>(projcs.children("UNIT"));
        projcs.collect(units, geog, "LENGTHUNIT");
        for (Node u : units) {
            double f = u.number(1);
            if (!Double.isNaN(f) && f != 1.0) {
                throw new IllegalArgumentException("WKT " + quoted + " uses length unit \"" + u.name()
                        + "\"; only metres are supported");
            }
        }
    }

    private static Map<String, Double> parameters(Node projcs, Node geog) {
        List<Node> ps = new ArrayList<>();
        projcs.collect(ps, geog, "PARAMETER");
        Map<String, Double> out = new HashMap<>();
        for (Node p : ps) {
            out.putIfAbsent(key(p.name()), p.number(1));
        }
        return out;
    }

    private static double param(Map<String, Double> params, double fallback, String... keys) {
        for (String k : keys) {
            Double v = params.get(k);
            if (v != null && !v.isNaN()) {
                return v;
            }
        }
        return fallback;
    }

    /** Upper case, letters and digits only: "D_China_2000" → "DCHINA2000". */
    static String key(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                b.append(Character.toUpperCase(c));
            }
        }
        return b.toString();
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
