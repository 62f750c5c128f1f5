package cn.haizhu.grid.data.areas;

import cn.haizhu.grid.data.codes.AdminCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The real streets and communities of Haizhu district and its outline, as shipped in
 * {@code reference/haizhu/} on the classpath (see the NOTICE.md there for their sources and
 * licences). The lists are read once, checked (codes valid, each community's street listed) and
 * kept in file order, which is code order.
 *
 * <p>The outline is handed out as GeoJSON text: this module has no GeoJSON reader, and the
 * importers module parses it with jts-io-common.
 */
public final class ReferenceAreas {
    /** Admin code of Haizhu district. */
    public static final String DISTRICT_CODE = "440105";
    /** Name of Haizhu district. */
    public static final String DISTRICT_NAME = "海珠区";
    /** Admin code of Guangzhou, the city above Haizhu. */
    public static final String CITY_CODE = "440100";
    /** Name of Guangzhou. */
    public static final String CITY_NAME = "广州市";

    private static final String FOLDER = "/reference/haizhu/";

    /** A street (街道): 9-digit code, name such as 赤岗街道, 6-digit district code. */
    public record Street(String code, String name, String districtCode) {
    }

    /** A community (社区居委会): 12-digit code, name such as 下渡社区居委会, 9-digit street code. */
    public record Community(String code, String name, String streetCode) {
    }

    private ReferenceAreas() {
    }

    /** The 18 streets in file order. */
    public static List<Street> streets() {
        return Loaded.STREETS;
    }

    /** The 267 communities in file order (grouped by street, streets in code order). */
    public static List<Community> communities() {
        return Loaded.COMMUNITIES;
    }

    /**
     * Opens {@code haizhu-boundary.geojson}: a FeatureCollection with one Polygon feature (properties
     * code 440105 and name 海珠区, about 340 lon/lat vertices at roughly 100 m precision). The caller
     * closes the stream.
     */
    public static InputStream openBoundaryGeoJson() {
        return open("haizhu-boundary.geojson");
    }

    /**
     * {@code guangzhou-districts.geojson} as text: a FeatureCollection of the 11 districts of Guangzhou,
     * one Polygon feature each with properties code (6 digits, 440103 … 440118) and name (荔湾区 …),
     * lon/lat at roughly 100 m precision; Haizhu's feature is the same polygon as
     * {@code haizhu-boundary.geojson}. A city node's area tree starts from it (docs/DOMAIN.md).
     */
    public static String guangzhouDistrictsGeoJson() {
        try (InputStream in = open("guangzhou-districts.geojson")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The name of a place this reference data knows: Guangzhou, Haizhu, or one of Haizhu's streets and
     * communities; empty for any other code.
     */
    public static java.util.Optional<String> name(String code) {
        if (CITY_CODE.equals(code)) {
            return java.util.Optional.of(CITY_NAME);
        }
        if (DISTRICT_CODE.equals(code)) {
            return java.util.Optional.of(DISTRICT_NAME);
        }
        return java.util.stream.Stream.concat(
                        streets().stream().map(s -> new String[] {s.code(), s.name()}),
                        communities().stream().map(c -> new String[] {c.code(), c.name()}))
                .filter(pair -> pair[0].equals(code)).map(pair -> pair[1]).findFirst();
    }

    /** The English name of Guangzhou or Haizhu (the pages' English titles); empty for other codes, whose names stay Chinese. */
    public static java.util.Optional<String> nameEn(String code) {
        return switch (code) {
            case CITY_CODE -> java.util.Optional.of("Guangzhou");
            case DISTRICT_CODE -> java.util.Optional.of("Haizhu");
            default -> java.util.Optional.empty();
        };
    }

    /** The boundary file as text. */
    public static String boundaryGeoJson() {
        try (InputStream in = openBoundaryGeoJson()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Read on first use, so that classes that only need the constants pay nothing. */
    private static final class Loaded {
        static final List<Street> STREETS = List.copyOf(readStreets());
        static final List<Community> COMMUNITIES = List.copyOf(readCommunities(STREETS));
    }

    private static List<Street> readStreets() {
        List<Street> streets = new ArrayList<>();
        for (String[] row : rows("streets.csv", "code,name,district_code")) {
            requireLevel(row[0], AdminCode.Level.STREET, "streets.csv");
            if (!row[0].startsWith(row[2])) {
                throw new IllegalStateException("streets.csv: street " + row[0] + " is not in district " + row[2]);
            }
            streets.add(new Street(row[0], row[1], row[2]));
        }
        return streets;
    }

    private static List<Community> readCommunities(List<Street> streets) {
        List<Community> communities = new ArrayList<>();
        for (String[] row : rows("communities.csv", "code,name,street_code")) {
            requireLevel(row[0], AdminCode.Level.COMMUNITY, "communities.csv");
            if (!row[0].startsWith(row[2]) || streets.stream().noneMatch(s -> s.code().equals(row[2]))) {
                throw new IllegalStateException("communities.csv: community " + row[0] + " names street " + row[2]
                        + ", which is not its parent or not in streets.csv");
            }
            communities.add(new Community(row[0], row[1], row[2]));
        }
        return communities;
    }

    private static void requireLevel(String code, AdminCode.Level level, String file) {
        if (AdminCode.level(code).orElse(null) != level) {
            throw new IllegalStateException(file + ": '" + code + "' is not a " + level + " code");
        }
    }

    /** The data rows of a 3-column reference CSV; the files are ours and have no quoted fields. */
    private static List<String[]> rows(String file, String expectedHeader) {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8))) {
            String header = in.readLine();
            if (!expectedHeader.equals(header)) {
                throw new IllegalStateException(file + ": header is '" + header + "', expected '" + expectedHeader + "'");
            }
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] row = line.split(",", -1);
                if (row.length != 3) {
                    throw new IllegalStateException(file + ": expected 3 fields in '" + line + "'");
                }
                rows.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file, e);
        }
        return rows;
    }

    private static InputStream open(String file) {
        InputStream in = ReferenceAreas.class.getResourceAsStream(FOLDER + file);
        if (in == null) {
            throw new IllegalStateException("reference file " + FOLDER + file + " is not on the classpath");
        }
        return in;
    }
}
