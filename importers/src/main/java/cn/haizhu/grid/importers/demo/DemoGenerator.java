package cn.haizhu.grid.importers.demo;

import cn.haizhu.grid.data.areas.ReferenceAreas;
import cn.haizhu.grid.data.areas.ReferenceAreas.Community;
import cn.haizhu.grid.data.areas.ReferenceAreas.Street;
import cn.haizhu.grid.importers.demo.AreaPartition.Area;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.locationtech.jts.geom.Coordinate;

/**
 * Generates the Haizhu demo data set: the files a data officer would receive, at the real scale of
 * the district or any fraction of it.
 *
 * <p>Always written: all 18 real streets and 267 real communities (codes and names from
 * {@link ReferenceAreas}), with generated polygons that partition the real district outline. Scaled
 * by {@code scale}: {@code max(267, round(2769 × scale))} unit grids partitioning the communities,
 * and exactly {@code round(916978 × scale)} houses, {@code round(1581460 × scale)} persons and
 * {@code round(35445 × scale)} enterprises. The old town in the north-west is denser: smaller grids,
 * more houses and people per grid; 琶洲 has more enterprises.
 *
 * <p>The output depends only on {@code scale} and {@code seed}: the same pair writes byte-identical
 * files on any machine, locale or time zone. Ages and key-population tags are as of {@link #AS_OF}.
 *
 * <p>Files (UTF-8 without BOM, '\n' line ends; CSV per RFC 4180 with a header row):
 * <ul>
 * <li>{@code district.geojson}, {@code streets.geojson}, {@code communities.geojson},
 *     {@code grids.geojson}: RFC 7946 FeatureCollections of MultiPolygons, coordinates lon/lat
 *     (WGS84) with 7 decimals. Properties: district {@code code, name}; streets
 *     {@code code, name, district_code}; communities {@code code, name, street_code}; grids
 *     {@code code, name, community_code, street_code}. Neighbours share identical edges; grids
 *     partition their community, communities their street, streets the district.
 * <li>{@code houses.csv}: {@code house_code,address,building,unit,floor,room,use,lon,lat}. The code
 *     is the grid code and a 5-digit sequence (19 digits); the address a standard one such as
 *     广州市海珠区江南大道中123号5栋2单元1203房 (shops end in 铺, offices in 室, urban-village houses
 *     are addressed by lane, 巷, and have no building or unit); floor 1-33; use one of 住宅, 商业金融信息,
 *     办公, 工业交通仓储, 其他 (GB/T 17986.1 classes).
 * <li>{@code persons.csv}: {@code id_number,name,gender,birth_date,household_type,phone,tags,house_code}.
 *     Valid, unique GB 11643 numbers whose birth date and gender digit match {@code birth_date}
 *     (yyyy-MM-dd) and {@code gender} (男/女); household type 户籍, 流动 or 境外; phone an 11-digit
 *     mobile or empty; tags empty or several of 独居老人, 残疾人, 低保户, 刑释人员, 社区矫正人员,
 *     严重精神障碍患者, 留守儿童 joined by ';'; the code of the house they live in.
 * <li>{@code enterprises.csv}: {@code credit_code,name,industry,legal_person,address,lon,lat}. Valid,
 *     unique GB 32100 codes (91440105… companies, 92440105… individual businesses), unique names,
 *     an industry section of GB/T 4754, the address and point of the house they are registered at.
 * </ul>
 * Points (lon/lat with 7 decimals) lie strictly inside their grid, never on its boundary.
 */
public final class DemoGenerator {
    /** The seed used when none is given. */
    public static final long DEFAULT_SEED = 20240105L;
    /** The date ages are counted to: everyone is born on or before it. */
    public static final LocalDate AS_OF = LocalDate.of(2025, 1, 1);
    /** Real Haizhu figures, reached at scale 1.0. */
    public static final int GRIDS = 2769;
    public static final int HOUSES = 916_978;
    public static final int PERSONS = 1_581_460;
    public static final int ENTERPRISES = 35_445;
    /** The smallest scale accepted: below it a grid set could have people but no house to put them in. */
    public static final double MIN_SCALE = 0.0001;
    /** The largest scale accepted: 99 grids per community and 99,999 houses per grid must suffice. */
    public static final double MAX_SCALE = 2.0;

    private static final int MAX_HOUSES_PER_GRID = 99_999;
    private static final int BUFFER = 1 << 20;

    private final double scale;
    private final long seed;

    /**
     * @param scale fraction of the real district's grids, houses, persons and enterprises, from
     *     {@value #MIN_SCALE} to {@value #MAX_SCALE}
     * @param seed the seed of every random choice; {@link #DEFAULT_SEED} by default
     * @throws IllegalArgumentException if {@code scale} is out of range
     */
    public DemoGenerator(double scale, long seed) {
        if (!(scale >= MIN_SCALE && scale <= MAX_SCALE)) {
            throw new IllegalArgumentException("scale must be from " + MIN_SCALE + " to " + MAX_SCALE + ", got " + scale);
        }
        this.scale = scale;
        this.seed = seed;
    }

    /**
     * Writes the seven files into {@code dir} (created if missing; files of the same names are
     * replaced) and says what was written. Runs in one thread; a full-scale run takes well under a
     * minute and a few hundred MB of heap.
     *
     * @throws IOException if a file cannot be written
     */
    public DemoManifest writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        AreaPartition areas = partition();

        Path districtFile = dir.resolve("district.geojson");
        Path streetsFile = dir.resolve("streets.geojson");
        Path communitiesFile = dir.resolve("communities.geojson");
        Path gridsFile = dir.resolve("grids.geojson");
        writeAreaTree(dir, areas, a -> true);
        List<GeoJsonOut.Feature> gridFeatures = new ArrayList<>();
        for (Area g : areas.grids()) {
            gridFeatures.add(new GeoJsonOut.Feature(List.of("code", g.code(), "name", g.name(),
                    "community_code", g.parentCode(), "street_code", g.parentCode().substring(0, 9)), g.geometry()));
        }
        writeAreas(gridsFile, gridFeatures);

        Path housesFile = dir.resolve("houses.csv");
        Path personsFile = dir.resolve("persons.csv");
        Path enterprisesFile = dir.resolve("enterprises.csv");
        Counts counts = writeRecords(areas.grids(), housesFile, personsFile, enterprisesFile);
        return new DemoManifest(scale, seed, areas.streets().size(), areas.communities().size(), areas.grids().size(),
                counts.houses, counts.persons, counts.enterprises, districtFile, streetsFile, communitiesFile,
                gridsFile, housesFile, personsFile, enterprisesFile);
    }

    private record Counts(int houses, int persons, int enterprises) {
    }

    private Counts writeRecords(List<Area> grids, Path housesFile, Path personsFile, Path enterprisesFile)
            throws IOException {
        int n = grids.size();
        InteriorSampler[] samplers = new InteriorSampler[n];
        double[] density = new double[n];
        double[] commercial = new double[n];
        double[] houseWeights = new double[n];
        double[] enterpriseWeights = new double[n];
        for (int g = 0; g < n; g++) {
            Area grid = grids.get(g);
            samplers[g] = new InteriorSampler(grid.geometry());
            Coordinate p = grid.geometry().getInteriorPoint().getCoordinate();
            density[g] = Density.residential(p.x, p.y);
            commercial[g] = Density.commercial(p.x, p.y);
            double area = grid.geometry().getArea();
            // Grid size already shrinks as density grows (area ∝ 1/density), so the power 1.5 leaves
            // denser grids with more houses each (∝ √density), as in the old town.
            houseWeights[g] = area * Math.pow(density[g], 1.5);
            enterpriseWeights[g] = area * Math.pow(commercial[g], 1.5);
        }
        int[] houses = Allocation.split(houseWeights, Allocation.scaled(HOUSES, scale), 0, MAX_HOUSES_PER_GRID);
        int[] enterprises = Allocation.split(enterpriseWeights, Allocation.scaled(ENTERPRISES, scale), 0, Integer.MAX_VALUE);

        // Pass 1 writes the houses and learns how many people each grid can take; pass 2 makes the
        // same houses again from the same stream (cheaper than keeping a million addresses) and
        // fills them with people and enterprises.
        StringBuilder sb = new StringBuilder(1 << 20);
        double[] capacity = new double[n];
        int houseRows = 0;
        try (Writer hw = open(housesFile)) {
            hw.write("house_code,address,building,unit,floor,room,use,lon,lat\n");
            GridHouses gridHouses = new GridHouses(new Roads());
            for (int g = 0; g < n; g++) {
                sb.setLength(0);
                houses(gridHouses, sb, grids.get(g), samplers[g], houses[g], density[g], commercial[g], g);
                hw.append(sb);
                houseRows += gridHouses.size();
                capacity[g] = gridHouses.occupancySum();
            }
        }
        int[] persons = Allocation.split(capacity, Allocation.scaled(PERSONS, scale), 0, Integer.MAX_VALUE);

        GridHouses gridHouses = new GridHouses(new Roads());
        Roads enterpriseRoads = new Roads(); // its own numbers, so pass 2 repeats pass 1's door numbers exactly
        Households households = new Households(AS_OF);
        Businesses businesses = new Businesses();
        StringBuilder code = new StringBuilder(19);
        int personRows = 0;
        int enterpriseRows = 0;
        try (Writer pw = open(personsFile); Writer ew = open(enterprisesFile)) {
            pw.write("id_number,name,gender,birth_date,household_type,phone,tags,house_code\n");
            ew.write("credit_code,name,industry,legal_person,address,lon,lat\n");
            for (int g = 0; g < n; g++) {
                Area grid = grids.get(g);
                sb.setLength(0);
                houses(gridHouses, sb, grid, samplers[g], houses[g], density[g], commercial[g], g);

                sb.setLength(0);
                SplittableRandom rng = Seeds.stream(seed, "persons", g);
                int[] occupants = occupants(gridHouses, persons[g], rng);
                for (int h = 0; h < occupants.length; h++) {
                    if (occupants[h] > 0) {
                        code.setLength(0);
                        GridHouses.code(code, grid.code(), h);
                        households.write(sb, code.toString(), gridHouses.use(h) == GridHouses.HOME, occupants[h], rng);
                        personRows += occupants[h];
                    }
                }
                pw.append(sb);

                sb.setLength(0);
                writeEnterprises(sb, businesses, gridHouses, enterprises[g], grid.parentCode().substring(0, 9),
                        samplers[g], enterpriseRoads, Seeds.stream(seed, "enterprises", g));
                ew.append(sb);
                enterpriseRows += enterprises[g];
            }
        }
        return new Counts(houseRows, personRows, enterpriseRows);
    }

    private void houses(GridHouses gridHouses, StringBuilder sb, Area grid, InteriorSampler inside, int count,
            double density, double commercial, int index) {
        gridHouses.generate(sb, grid.code(), grid.parentCode().substring(0, 9), inside, count, density, commercial,
                Seeds.stream(seed, "houses", index));
    }

    /**
     * How many people live in each house of the grid. Every home that is not empty gets one person
     * while there are enough; the rest are placed one by one in proportion to
     * {@link GridHouses#occupancy}, which makes households of 1 to 5 people common and larger ones rare.
     */
    private static int[] occupants(GridHouses houses, int total, SplittableRandom rng) {
        int n = houses.size();
        int[] counts = new int[n];
        if (n == 0 || total == 0) {
            return counts;
        }
        int homes = 0;
        for (int h = 0; h < n; h++) {
            if (houses.occupancy(h) >= 1) {
                homes++;
            }
        }
        int left = total;
        if (homes <= total) {
            for (int h = 0; h < n; h++) {
                if (houses.occupancy(h) >= 1) {
                    counts[h] = 1;
                }
            }
            left -= homes;
        }
        double[] cumulative = new double[n];
        double sum = 0;
        for (int h = 0; h < n; h++) {
            sum += houses.occupancy(h);
            cumulative[h] = sum;
        }
        if (sum == 0) {
            for (int h = 0; h < n; h++) {
                cumulative[h] = h + 1;
            }
            sum = n;
        }
        for (int k = 0; k < left; k++) {
            counts[Weighted.draw(cumulative, rng.nextDouble() * sum)]++;
        }
        return counts;
    }

    /**
     * Registers {@code count} enterprises in the grid: at a shop, office, factory or other
     * non-residential house if the grid has one, else at a home (with the usual 仅限办公用途 note),
     * else (only at tiny scales, where a grid may have no house) at a door number of its own on one
     * of the street's roads.
     */
    private static void writeEnterprises(StringBuilder sb, Businesses businesses, GridHouses houses, int count,
            String streetCode, InteriorSampler inside, Roads roads, SplittableRandom rng) {
        if (count == 0) {
            return;
        }
        int[] premises = new int[houses.size()];
        int np = 0;
        for (int h = 0; h < houses.size(); h++) {
            if (houses.use(h) != GridHouses.HOME) {
                premises[np++] = h;
            }
        }
        String[] streetRoads = Roads.of(streetCode);
        for (int k = 0; k < count; k++) {
            if (np > 0 || houses.size() > 0) {
                int h = np > 0 ? premises[rng.nextInt(np)] : rng.nextInt(houses.size());
                String address = np > 0 ? houses.address(h) : houses.address(h) + "（仅限办公用途）";
                businesses.write(sb, address, houses.lon(h), houses.lat(h), rng);
            } else {
                String road = streetRoads[rng.nextInt(streetRoads.length)];
                Coordinate p = inside.nextRounded(rng);
                businesses.write(sb, "广州市海珠区" + road + roads.nextNumber(road, rng) + "号", p.x, p.y, rng);
            }
        }
    }

    /**
     * Writes the area tree of one street as {@link #writeTo} writes the district's: the district
     * outline ({@code district.geojson}), the street ({@code streets.geojson}) and its communities
     * ({@code communities.geojson}), the same polygons as the whole set of the same scale and seed. A
     * street node of the demo starts from them before its first sync (importers/.../sync/NodeAreaTree).
     */
    public void writeStreetAreasTo(Path dir, String streetCode) throws IOException {
        Files.createDirectories(dir);
        writeAreaTree(dir, partition(), a -> a.code().startsWith(streetCode));
    }

    private AreaPartition partition() {
        List<Street> streets = ReferenceAreas.streets();
        List<Community> communities = ReferenceAreas.communities();
        int gridCount = (int) Math.max(communities.size(), Allocation.scaled(GRIDS, scale));
        return AreaPartition.build(Outline.haizhu(), streets, communities, gridCount, seed);
    }

    private static void writeAreaTree(Path dir, AreaPartition areas, java.util.function.Predicate<Area> keep) throws IOException {
        writeAreas(dir.resolve("district.geojson"), List.of(new GeoJsonOut.Feature(
                List.of("code", ReferenceAreas.DISTRICT_CODE, "name", ReferenceAreas.DISTRICT_NAME), areas.district())));
        writeAreas(dir.resolve("streets.geojson"), features(areas.streets().stream().filter(keep).toList(), "district_code"));
        writeAreas(dir.resolve("communities.geojson"), features(areas.communities().stream().filter(keep).toList(), "street_code"));
    }

    private static List<GeoJsonOut.Feature> features(List<Area> areas, String parentKey) {
        List<GeoJsonOut.Feature> features = new ArrayList<>(areas.size());
        for (Area a : areas) {
            features.add(new GeoJsonOut.Feature(List.of("code", a.code(), "name", a.name(), parentKey, a.parentCode()), a.geometry()));
        }
        return features;
    }

    private static void writeAreas(Path file, List<GeoJsonOut.Feature> features) throws IOException {
        try (Writer w = open(file)) {
            GeoJsonOut.write(w, features);
        }
    }

    private static Writer open(Path file) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), BUFFER);
    }
}
