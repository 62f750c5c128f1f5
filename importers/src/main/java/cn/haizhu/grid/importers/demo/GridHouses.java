package cn.haizhu.grid.importers.demo;

import cn.haizhu.grid.data.codes.HouseUse;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.locationtech.jts.geom.Coordinate;

/**
 * The houses (房屋) of one grid, written as rows of houses.csv and kept until the grid's people and
 * enterprises have been placed in them.
 *
 * <p>Houses come in plots: one door number on one of the grid's roads, holding one or more
 * buildings of one kind. The kinds and their sizes follow how built-up the grid is: walk-up blocks
 * (多层, 6-9 floors) and towers dominate the old town, towers the centre, urban-village houses
 * (城中村, addressed by lane: 巷) and factories the east, office towers 琶洲. Ground floors of
 * residential buildings are often shops. Every house of a building shares the building's point,
 * which lies strictly inside the grid.
 */
final class GridHouses {
    /** The demo's five kinds of house, as their GB/T 17986.1 classes ({@link HouseUse}). */
    static final String[] USES = {HouseUse.RESIDENTIAL.code(), HouseUse.COMMERCIAL.code(), HouseUse.OFFICE.code(),
        HouseUse.INDUSTRIAL.code(), HouseUse.OTHER.code()};
    static final int HOME = 0;
    static final int SHOP = 1;
    static final int OFFICE = 2;
    static final int FACTORY = 3;
    static final int OTHER = 4;

    private enum Kind {
        // floors, units, rooms per floor (each min..max), buildings per plot (max), ground-floor shop chance
        WALKUP(6, 9, 1, 2, 2, 4, 8, 0.6),
        TOWER(18, 33, 1, 3, 4, 6, 6, 0.3),
        VILLAGE(4, 8, 1, 1, 2, 5, 1, 0.5),
        OFFICE_TOWER(8, 30, 1, 1, 6, 12, 2, 1.0),
        FACTORY_BLOCK(1, 5, 1, 1, 1, 3, 4, 0),
        OTHER_BLOCK(1, 4, 1, 1, 1, 3, 1, 0);

        final int minFloors;
        final int maxFloors;
        final int minUnits;
        final int maxUnits;
        final int minRooms;
        final int maxRooms;
        final int maxBuildings;
        final double shops;

        Kind(int minFloors, int maxFloors, int minUnits, int maxUnits, int minRooms, int maxRooms, int maxBuildings, double shops) {
            this.minFloors = minFloors;
            this.maxFloors = maxFloors;
            this.minUnits = minUnits;
            this.maxUnits = maxUnits;
            this.minRooms = minRooms;
            this.maxRooms = maxRooms;
            this.maxBuildings = maxBuildings;
            this.shops = shops;
        }

        double meanPlotSize() {
            return (minFloors + maxFloors) / 2.0 * (minUnits + maxUnits) / 2.0 * (minRooms + maxRooms) / 2.0
                    * (1 + maxBuildings) / 2.0;
        }
    }

    private static final Kind[] KINDS = Kind.values();
    // Share of houses by kind in dense, middling and sparse grids; turned into plot odds by plot size.
    private static final double[][] HOUSE_SHARES = {
        {0.56, 0.34, 0.05, 0.04, 0.005, 0.012},
        {0.31, 0.53, 0.10, 0.04, 0.01, 0.015},
        {0.11, 0.38, 0.43, 0.02, 0.04, 0.02},
    };
    private static final double JITTER = 0.00025; // ≈ 25 m: buildings of a plot stand near each other

    private final Roads roads;
    private int size;
    private int[] use = new int[1024];
    private String[] address = new String[1024];
    private double[] lon = new double[1024];
    private double[] lat = new double[1024];
    private double[] weight = new double[1024];

    GridHouses(Roads roads) {
        this.roads = roads;
    }

    int size() {
        return size;
    }

    int use(int i) {
        return use[i];
    }

    String address(int i) {
        return address[i];
    }

    double lon(int i) {
        return lon[i];
    }

    double lat(int i) {
        return lat[i];
    }

    /**
     * How likely people are to live in the {@code i}-th house, relative to an occupied home (1):
     * a home stands empty one time in twenty (0); factories, shops, other premises and offices
     * house a worker now and then.
     */
    double occupancy(int i) {
        return weight[i];
    }

    /** The sum of {@link #occupancy} over the grid's houses. */
    double occupancySum() {
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += weight[i];
        }
        return sum;
    }

    /** The house code of the {@code i}-th house: grid code + 5-digit sequence from 00001. */
    static StringBuilder code(StringBuilder sb, String gridCode, int i) {
        return Text.padded(sb.append(gridCode), i + 1, 5);
    }

    /**
     * Generates {@code count} houses in a grid and appends their rows to {@code out}.
     *
     * @param density {@link Density#residential} at the grid
     * @param commercial {@link Density#commercial} at the grid
     */
    void generate(StringBuilder out, String gridCode, String streetCode, InteriorSampler inside, int count,
            double density, double commercial, SplittableRandom rng) {
        size = 0;
        if (count > use.length) {
            int n = Math.max(count, use.length * 2);
            use = Arrays.copyOf(use, n);
            address = Arrays.copyOf(address, n);
            lon = Arrays.copyOf(lon, n);
            lat = Arrays.copyOf(lat, n);
            weight = Arrays.copyOf(weight, n);
        }
        String[] streetRoads = Roads.of(streetCode);
        String[] gridRoads = {streetRoads[rng.nextInt(streetRoads.length)], streetRoads[rng.nextInt(streetRoads.length)]};
        Weighted<Kind> kinds = kinds(density, commercial);
        StringBuilder base = new StringBuilder(64);
        while (size < count) {
            Kind kind = kinds.pick(rng);
            String road = gridRoads[rng.nextInt(gridRoads.length)];
            base.setLength(0);
            base.append("广州市海珠区").append(road);
            if (kind == Kind.VILLAGE) {
                int lane = 1 + rng.nextInt(20);
                base.append(lane).append("巷").append(roads.nextNumber(road + lane + "巷", rng)).append('号');
            } else {
                base.append(roads.nextNumber(road, rng)).append('号');
            }
            int plotLength = base.length();
            Coordinate plot = inside.nextRounded(rng);
            int buildings = 1 + rng.nextInt(kind.maxBuildings);
            for (int b = 1; b <= buildings && size < count; b++) {
                base.setLength(plotLength);
                String building = kind == Kind.VILLAGE ? "" : Integer.toString(b);
                if (!building.isEmpty()) {
                    base.append(b).append('栋');
                }
                double x = Text.round7(plot.x + (rng.nextDouble() * 2 - 1) * JITTER);
                double y = Text.round7(plot.y + (rng.nextDouble() * 2 - 1) * JITTER);
                if (b == 1 || !inside.isInterior(new Coordinate(x, y))) {
                    x = plot.x;
                    y = plot.y;
                }
                building(out, gridCode, kind, base, building, x, y, count, rng);
            }
        }
    }

    private void building(StringBuilder out, String gridCode, Kind kind, StringBuilder base, String building,
            double x, double y, int count, SplittableRandom rng) {
        int floors = between(kind.minFloors, kind.maxFloors, rng);
        int units = between(kind.minUnits, kind.maxUnits, rng);
        int rooms = between(kind.minRooms, kind.maxRooms, rng);
        boolean shops = rng.nextDouble() < kind.shops;
        int buildingLength = base.length();
        for (int u = 1; u <= units; u++) {
            for (int f = 1; f <= floors; f++) {
                for (int k = 1; k <= rooms; k++) {
                    if (size >= count) {
                        return;
                    }
                    int houseUse = switch (kind) {
                        case OFFICE_TOWER -> shops && f <= 2 ? SHOP : OFFICE;
                        case FACTORY_BLOCK -> FACTORY;
                        case OTHER_BLOCK -> OTHER;
                        default -> shops && f == 1 ? SHOP : HOME;
                    };
                    base.setLength(buildingLength);
                    boolean inUnit = units > 1 && houseUse == HOME;
                    if (inUnit) {
                        base.append(u).append("单元");
                    }
                    // shops open onto the street, not a stairwell: numbered along the whole ground floor
                    int room = f * 100 + (inUnit ? k : (u - 1) * rooms + k);
                    base.append(room).append(houseUse == SHOP ? "铺" : houseUse == OFFICE ? "室" : "房");
                    String addr = base.toString();
                    use[size] = houseUse;
                    weight[size] = switch (houseUse) {
                        case HOME -> rng.nextDouble() < 0.05 ? 0 : 1;
                        case FACTORY -> 0.3;
                        case SHOP -> 0.08;
                        case OTHER -> 0.05;
                        default -> 0.01;
                    };
                    address[size] = addr;
                    lon[size] = x;
                    lat[size] = y;
                    code(out, gridCode, size).append(',');
                    Text.csvField(out, addr).append(',');
                    out.append(building).append(',');
                    if (inUnit) {
                        out.append(u);
                    }
                    out.append(',').append(f).append(',').append(room).append(',').append(USES[houseUse]).append(',');
                    Text.decimal7(out, x).append(',');
                    Text.decimal7(out, y).append('\n');
                    size++;
                }
            }
        }
    }

    private static Weighted<Kind> kinds(double density, double commercial) {
        double[] shares = HOUSE_SHARES[density >= 1.2 ? 0 : density >= 0.5 ? 1 : 2].clone();
        if (commercial >= 1.5 * density) {
            shares[Kind.OFFICE_TOWER.ordinal()] *= 5; // the 琶洲 business district
        }
        double[] odds = new double[KINDS.length];
        for (int i = 0; i < KINDS.length; i++) {
            odds[i] = shares[i] / KINDS[i].meanPlotSize();
        }
        return new Weighted<>(KINDS, odds);
    }

    private static int between(int min, int max, SplittableRandom rng) {
        return min + rng.nextInt(max - min + 1);
    }
}
