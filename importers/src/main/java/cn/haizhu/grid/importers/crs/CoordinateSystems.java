package cn.haizhu.grid.importers.crs;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.locationtech.proj4j.CRSFactory;
import org.locationtech.proj4j.CoordinateReferenceSystem;
import org.locationtech.proj4j.Proj4jException;

/**
 * Turns what a data officer declares (a code, a name, or the WKT text of a {@code .prj} file) into a
 * {@link SourceCrs} that brings coordinates to WGS84 lon/lat, and guesses the system from coordinate
 * values to give a hint when a declaration is missing or wrong.
 *
 * <p>Axis order is always x = lon/easting, y = lat/northing, even for {@code urn:ogc:def:crs:EPSG::4326},
 * whose formal axis order is lat/lon.
 */
public final class CoordinateSystems {
    private CoordinateSystems() {}

    /** What {@link #resolve(String)} accepts, for error messages and --help. */
    public static final String SUPPORTED = "supported coordinate systems: "
            + "EPSG:4326 (WGS84; also 4326, WGS84, CRS84, OGC:CRS84, urn:ogc:def:crs:EPSG::4326), "
            + "EPSG:4490 (CGCS2000 lon/lat), "
            + "EPSG:4547 (CGCS2000 3-degree Gauss-Kruger CM 114E, easting ~ 430000), "
            + "EPSG:4526 (CGCS2000 3-degree Gauss-Kruger zone 38, easting with zone prefix ~ 38430000), "
            + "EPSG:3857 (Web Mercator; also 900913, 102100), "
            + "other EPSG transverse Mercator/UTM codes on CGCS2000 or WGS84 (e.g. EPSG:4546, EPSG:32649), "
            + "GCJ-02 (GCJ02, gcj: AMap/Gaode, Tencent), BD-09 (BD09, bd: Baidu lon/lat), "
            + "or the WKT text of a .prj file (ESRI or OGC) for any of these";

    private static final Map<Integer, SourceCrs> BY_CODE = new ConcurrentHashMap<>();
    private static final CRSFactory CRS_FACTORY = new CRSFactory();

    private static final Pattern EPSG_CODE = Pattern.compile(
            "(?i)(?:EPSG\\s*:{1,2}\\s*|ESRI\\s*:{1,2}\\s*|urn:ogc:def:crs:EPSG:[0-9.]*:|urn:x-ogc:def:crs:EPSG:[0-9.]*:"
                    + "|https?://www\\.opengis\\.net/def/crs/EPSG/[0-9.]+/)?(\\d{3,6})");
    private static final Pattern CRS84 = Pattern.compile(
            "(?i)(?:OGC\\s*:\\s*|urn:ogc:def:crs:OGC:[0-9.]*:|https?://www\\.opengis\\.net/def/crs/OGC/[0-9.]+/)?CRS\\s*:?\\s*84");

    /**
     * The coordinate system named by {@code declaration}.
     *
     * @throws IllegalArgumentException with what was not understood and the {@link #SUPPORTED} list
     */
    public static SourceCrs resolve(String declaration) {
        if (declaration == null || declaration.isBlank()) {
            throw new IllegalArgumentException("no coordinate system declared; " + SUPPORTED);
        }
        String d = declaration.replace("\uFEFF", "").strip();
        if (Wkt.looksLikeWkt(d)) {
            try {
                return Wkt.recognise(d);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + ". " + capitalised(SUPPORTED), e);
            }
        }
        if (d.startsWith("+proj") || d.startsWith("+init")) {
            throw new IllegalArgumentException("PROJ strings are not accepted (\"" + shorten(d)
                    + "\"); pass an EPSG code or the text of the .prj file. " + capitalised(SUPPORTED));
        }
        Matcher m = EPSG_CODE.matcher(d);
        if (m.matches()) {
            return byCode(Integer.parseInt(m.group(1)), d);
        }
        if (CRS84.matcher(d).matches()) {
            return identity("OGC:CRS84");
        }
        switch (Wkt.key(d)) {
            case "WGS84", "WGS1984", "GCSWGS1984":
                return byCode(4326);
            case "CGCS2000", "CHINA2000", "GCSCHINAGEODETICCOORDINATESYSTEM2000", "CHINAGEODETICCOORDINATESYSTEM2000":
                return byCode(4490);
            case "GCJ02", "GCJ":
                return OffsetCrs.GCJ02;
            case "BD09", "BD", "BD09LL", "BAIDU":
                return OffsetCrs.BD09;
            case "BD09MC", "BAIDUMERCATOR":
                throw new IllegalArgumentException("Baidu Mercator (BD09MC) metres are not supported (\"" + d
                        + "\"); export BD-09 longitude/latitude (bd09ll) and declare BD-09. " + capitalised(SUPPORTED));
            case "WEBMERCATOR", "PSEUDOMERCATOR", "GOOGLEMERCATOR":
                return byCode(3857);
            case "BEIJING1954", "BJ54", "XIAN1980", "XIAN80", "GUANGZHOU2000":
                throw new IllegalArgumentException("\"" + d + "\" needs a local datum transformation (7 parameters) that "
                        + "the importer does not have; have the data converted to CGCS2000 first. " + capitalised(SUPPORTED));
            default:
                throw new IllegalArgumentException("unknown coordinate system \"" + shorten(d) + "\"; " + SUPPORTED);
        }
    }

    /** True for the EPSG codes resolved without consulting proj4j's registry (the list in {@link #SUPPORTED}). */
    static boolean isDirectlySupported(int code) {
        return switch (code) {
            case 4326, 4490, 4547, 4526, 3857, 900913, 102100, 102113, 3785 -> true;
            default -> false;
        };
    }

    static SourceCrs byCode(int code) {
        return byCode(code, "EPSG:" + code);
    }

    private static SourceCrs byCode(int code, String declared) {
        SourceCrs cached = BY_CODE.get(code);
        if (cached != null) {
            return cached;
        }
        SourceCrs crs = create(code, declared);
        BY_CODE.putIfAbsent(code, crs);
        return BY_CODE.get(code);
    }

    private static SourceCrs create(int code, String declared) {
        switch (code) {
            case 4326:
                return identity("EPSG:4326");
            case 4490:
                return identity("EPSG:4490");
            case 4547, 4526, 3857:
                return ProjectedCrs.epsg(code);
            case 900913, 102100, 102113, 3785:
                return byCode(3857);
            case 4214, 4610, 4555:
                throw new IllegalArgumentException("EPSG:" + code + " (Beijing 1954 / Xian 1980 / New Beijing lon/lat) "
                        + "needs a local datum transformation (7 parameters) that the importer does not have; "
                        + "have the data converted to CGCS2000 first. " + capitalised(SUPPORTED));
            default:
                return otherEpsg(code, declared);
        }
    }

    /**
     * Other EPSG codes known to proj4j: accepted when they are a transverse Mercator (incl. UTM)
     * on the WGS84 or GRS80/CGCS2000 ellipsoid with no datum shift, e.g. the other CGCS2000
     * Gauss-Kruger zones (EPSG:4513..4554) and UTM 49N/50N (EPSG:32649/32650).
     */
    private static SourceCrs otherEpsg(int code, String declared) {
        String name = "EPSG:" + code;
        CoordinateReferenceSystem crs;
        try {
            crs = CRS_FACTORY.createFromName(name);
        } catch (Proj4jException | IllegalStateException e) {
            crs = null;
        }
        if (crs == null) {
            throw new IllegalArgumentException("unknown coordinate system \"" + shorten(declared) + "\" (no such EPSG code); "
                    + SUPPORTED);
        }
        String params = " " + crs.getParameterString() + " ";
        boolean tmerc = params.contains(" +proj=tmerc ") || params.contains(" +proj=utm ");
        boolean ellipsoid = params.contains(" +ellps=GRS80 ") || params.contains(" +ellps=WGS84 ")
                || params.contains(" +datum=WGS84 ");
        boolean shift = params.matches(".*\\+towgs84=(?!0,0,0(,0,0,0,0)? ).*") || params.contains("+nadgrids=")
                || params.contains("+pm=");
        boolean metres = !params.contains("+units=") || params.contains(" +units=m ");
        if (tmerc && ellipsoid && !shift && metres) {
            return ProjectedCrs.epsg(code);
        }
        if (params.contains("+ellps=krass") || params.contains("+a=6378140 ") || params.contains("+ellps=IAU76")) {
            throw new IllegalArgumentException("EPSG:" + code + " is on the Beijing 1954 or Xian 1980 datum ("
                    + crs.getParameterString().strip() + "); going to WGS84 needs a local datum transformation "
                    + "(7 parameters) that the importer does not have; have the data converted to CGCS2000 first. "
                    + capitalised(SUPPORTED));
        }
        throw new IllegalArgumentException("EPSG:" + code + " (" + crs.getParameterString().strip()
                + ") is not supported: only WGS84/CGCS2000 lon/lat, transverse Mercator on CGCS2000/WGS84 "
                + "and Web Mercator can be imported without a datum transformation. " + capitalised(SUPPORTED));
    }

    private static SourceCrs identity(String name) {
        return new IdentityCrs(name);
    }

    // ---- guessing -----------------------------------------------------------------------------

    /**
     * The coordinate system that coordinate values (x, y) look like for data in and around Guangzhou:
     * {@code EPSG:4326} for lon/lat (which can not tell WGS84 from GCJ-02 or BD-09: those are offset by
     * a few hundred metres only), {@code EPSG:4526} for eastings with the zone-38 prefix,
     * {@code EPSG:4547} for 3-degree Gauss-Kruger CM 114E without prefix, {@code EPSG:3857} for Web
     * Mercator; empty when the values fit none of these.
     */
    public static Optional<String> guessFromCoordinates(double x, double y) {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            return Optional.empty();
        }
        if (x >= 111.0 && x <= 116.0 && y >= 21.0 && y <= 25.5) {
            return Optional.of("EPSG:4326");
        }
        if (x >= 38_300_000 && x <= 38_700_000 && y >= 2_400_000 && y <= 2_800_000) {
            return Optional.of("EPSG:4526");
        }
        if (x >= 300_000 && x <= 700_000 && y >= 2_400_000 && y <= 2_800_000) {
            return Optional.of("EPSG:4547");
        }
        if (Math.abs(x) >= 12_350_000 && Math.abs(x) <= 12_900_000 && y >= 2_390_000 && y <= 2_940_000) {
            return Optional.of("EPSG:3857");
        }
        return Optional.empty();
    }

    /**
     * A sentence for an error message when coordinates are not where they should be, e.g.
     * "coordinates look like EPSG:4547; pass --crs EPSG:4547"; empty when nothing can be said.
     */
    public static Optional<String> hint(double x, double y) {
        Optional<String> guess = guessFromCoordinates(x, y);
        if (guess.isPresent()) {
            String g = guess.get();
            if (g.equals("EPSG:4326")) {
                return Optional.of("coordinates look like longitude/latitude; pass --crs EPSG:4326 "
                        + "(or GCJ-02 / BD-09 if they come from AMap/Tencent or Baidu)");
            }
            return Optional.of("coordinates look like " + g + "; pass --crs " + g);
        }
        if (y >= 111.0 && y <= 116.0 && x >= 21.0 && x <= 25.5) {
            return Optional.of("coordinates look like latitude, longitude (swapped); x must be the longitude");
        }
        if (y >= 300_000 && y <= 700_000 && x >= 2_400_000 && x <= 2_800_000) {
            return Optional.of("coordinates look like EPSG:4547 with northing and easting swapped; x must be the easting");
        }
        return Optional.empty();
    }

    private static String shorten(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() <= 80 ? one : one.substring(0, 77) + "...";
    }

    private static String capitalised(String s) {
        return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }
}
