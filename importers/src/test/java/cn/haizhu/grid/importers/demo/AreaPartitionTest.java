package cn.haizhu.grid.importers.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.areas.ReferenceAreas;
import cn.haizhu.grid.data.codes.GridCode;
import cn.haizhu.grid.importers.demo.AreaPartition.Area;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;

class AreaPartitionTest {
    private static final Polygon OUTLINE = Outline.haizhu();

    @Test
    void outlineIsHaizhu() {
        assertTrue(OUTLINE.isValid());
        // about 91 km² at this latitude
        assertEquals(0.0080166, OUTLINE.getArea(), 1e-6);
        assertTrue(OUTLINE.getEnvelopeInternal().contains(new Envelope(113.25, 113.41, 23.05, 23.11)));
    }

    @ParameterizedTest(name = "{0} grids, seed {1}")
    @CsvSource({"267, 20240105", "400, 1", "2769, 20240105"})
    void streetsCommunitiesAndGridsPartitionTheDistrict(int gridCount, long seed) {
        AreaPartition p = AreaPartition.build(OUTLINE, ReferenceAreas.streets(), ReferenceAreas.communities(), gridCount, seed);
        assertEquals(18, p.streets().size());
        assertEquals(267, p.communities().size());
        assertEquals(gridCount, p.grids().size());

        double gap = PartitionChecks.assertPartition("streets", geometries(p.streets()), OUTLINE, 1e-6);
        PartitionChecks.assertPartition("grids", geometries(p.grids()), OUTLINE, 1e-6);
        PartitionChecks.assertPartition("communities", geometries(p.communities()), p.district(), 1e-15);
        assertTrue(gap < 1e-8, "snap rounding moved the outline by " + gap + " deg²");

        Map<String, Geometry> streets = new LinkedHashMap<>();
        p.streets().forEach(s -> streets.put(s.code(), s.geometry()));
        Map<String, List<Geometry>> communitiesOfStreet = new LinkedHashMap<>();
        Map<String, List<Area>> gridsOfCommunity = new LinkedHashMap<>();
        for (Area c : p.communities()) {
            communitiesOfStreet.computeIfAbsent(c.parentCode(), k -> new ArrayList<>()).add(c.geometry());
        }
        for (Area g : p.grids()) {
            gridsOfCommunity.computeIfAbsent(g.parentCode(), k -> new ArrayList<>()).add(g);
        }
        // Each level nests exactly in the one above: same edges, so no tolerance is needed.
        communitiesOfStreet.forEach((street, parts) ->
                PartitionChecks.assertPartition("communities of " + street, parts, streets.get(street), 1e-15));
        for (Area c : p.communities()) {
            List<Area> grids = gridsOfCommunity.get(c.code());
            PartitionChecks.assertPartition("grids of " + c.code(), geometries(grids), c.geometry(), 1e-15);
            assertNumberedInReadingOrder(c, grids);
        }
        assertEquals(267, gridsOfCommunity.size(), "every community has a grid");
    }

    @Test
    void sameSeedSameAreasOtherSeedOtherAreas() {
        AreaPartition a = AreaPartition.build(OUTLINE, ReferenceAreas.streets(), ReferenceAreas.communities(), 300, 7);
        AreaPartition b = AreaPartition.build(OUTLINE, ReferenceAreas.streets(), ReferenceAreas.communities(), 300, 7);
        AreaPartition c = AreaPartition.build(OUTLINE, ReferenceAreas.streets(), ReferenceAreas.communities(), 300, 8);
        for (int i = 0; i < 300; i++) {
            assertTrue(a.grids().get(i).geometry().equalsExact(b.grids().get(i).geometry()));
        }
        assertTrue(!a.grids().get(0).geometry().equalsExact(c.grids().get(0).geometry())
                || !a.grids().get(299).geometry().equalsExact(c.grids().get(299).geometry()));
    }

    @Test
    void readingOrderIsRowsNorthToSouthThenWestToEast() {
        // 4 points in a 2 × 2 square of area 4: rows are sqrt(4 / 4) = 1 high, counted from y = 2
        Coordinate[] points = {new Coordinate(1.5, 0.5), new Coordinate(0.5, 1.5), new Coordinate(1.5, 1.6), new Coordinate(0.5, 0.4)};
        Integer[] order = AreaPartition.readingOrder(points, new Envelope(0, 2, 0, 2), 4);
        assertArrayEquals(new Integer[] {1, 2, 3, 0}, order);
    }

    @Test
    void sliversJoinTheNeighbourTheyShareMostWith() throws Exception {
        var wkt = new org.locationtech.jts.io.WKTReader(AreaPartition.FACTORY);
        List<Polygon> faces = List.of(
                (Polygon) wkt.read("POLYGON ((0 0, 0.001 0, 0.001 0.001, 0 0.001, 0 0))"),
                // 5e-11 deg² against the square's right edge: merges into it
                (Polygon) wkt.read("POLYGON ((0.001 0, 0.0010001 0.0005, 0.001 0.001, 0.001 0))"),
                // as small, but the only face of its grid: stays
                (Polygon) wkt.read("POLYGON ((0 0, 0 0.001, -0.0000001 0.0005, 0 0))"),
                (Polygon) wkt.read("POLYGON ((0.002 0, 0.003 0, 0.003 0.001, 0.002 0.001, 0.002 0))"));
        int[][] labels = {{0, 0, 0}, {0, 0, 1}, {0, 0, 2}, {0, 0, 1}};
        AreaPartition.mergeSlivers(faces, labels);
        assertArrayEquals(new int[][] {{0, 0, 0}, {0, 0, 0}, {0, 0, 2}, {0, 0, 1}}, labels);
    }

    /** Codes run 01..n in the documented reading order of the grids' centroids, names follow the codes. */
    private static void assertNumberedInReadingOrder(Area community, List<Area> grids) {
        Coordinate[] centroids = new Coordinate[grids.size()];
        for (int i = 0; i < grids.size(); i++) {
            Area g = grids.get(i);
            assertEquals(GridCode.of(community.code(), i + 1), g.code());
            assertEquals(community.name().replace("居委会", "") + g.code().substring(12) + "网格", g.name());
            centroids[i] = g.geometry().getCentroid().getCoordinate();
        }
        Integer[] order = AreaPartition.readingOrder(centroids, community.geometry().getEnvelopeInternal(), community.geometry().getArea());
        for (int i = 0; i < order.length; i++) {
            assertEquals(i, order[i], "grid order in " + community.code());
        }
    }

    private static List<Geometry> geometries(List<Area> areas) {
        List<Geometry> out = new ArrayList<>();
        areas.forEach(a -> out.add(a.geometry()));
        return out;
    }
}
