package cn.haizhu.grid.server.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.http.ApiError;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The items query as built for each shape of request, and the parameters it is built from. */
class ItemsSqlTest {
    private static final FeatureCollection HOUSES = FeatureCollection.find("houses").orElseThrow();

    private static ItemsQuery plain(Crs crs) {
        return new ItemsQuery(HOUSES, 10, null, null, null, Crs.CRS84, null, null, crs, null);
    }

    @Test
    void aFirstPageIsTheKeyOrderWithNoConditionAndOneRowMore() {
        ItemsSql sql = ItemsSql.page(plain(Crs.CRS84));
        assertTrue(sql.sql().contains("WHERE true"));
        assertTrue(sql.sql().contains("ORDER BY f.id\n"));
        assertTrue(sql.sql().contains("ST_AsGeoJSON(f.geom, $1::int)"), "CRS84 is the stored order: no transform");
        assertEquals(List.of(7, 11), sql.params());
    }

    @Test
    void latitudeFirstCrsFlipsAndAProjectedOneTransforms() {
        assertTrue(ItemsSql.page(plain(Crs.WGS84)).sql().contains("ST_FlipCoordinates(f.geom)"));
        ItemsSql gk = ItemsSql.page(plain(Crs.CGCS2000_GK_114E));
        assertTrue(gk.sql().contains("ST_FlipCoordinates(ST_Transform(f.geom, $1::int))"));
        assertEquals(List.of(4547, 2, 11), gk.params());
        assertFalse(ItemsSql.page(plain(Crs.WEB_MERCATOR)).sql().contains("ST_FlipCoordinates"));
    }

    @Test
    void aPreviousPageReadsTheKeyBackwards() {
        ItemsSql sql = ItemsSql.page(new ItemsQuery(HOUSES, 5, null, "44010500110101", null, Crs.CRS84, null, null, Crs.CRS84, null));
        assertTrue(sql.sql().contains("f.id < $1::text"));
        assertTrue(sql.sql().contains("ORDER BY f.id DESC"));
    }

    @Test
    void aBboxInALatitudeFirstCrsIsSwappedAndAProjectedOneTransformedDensified() {
        double[] box = {23.0, 113.0, 23.1, 113.1};
        ItemsSql wgs = ItemsSql.page(new ItemsQuery(HOUSES, 10, null, null, box, Crs.WGS84, null, null, Crs.CRS84, null));
        assertEquals(List.of(113.0, 23.0, 113.1, 23.1, 4326), wgs.params().subList(0, 5));
        assertFalse(wgs.sql().contains("ST_Transform(ST_Segmentize"));
        ItemsSql gk = ItemsSql.page(new ItemsQuery(HOUSES, 10, null, null, new double[] {2555000, 430000, 2556000, 431000},
                Crs.CGCS2000_GK_114E, null, null, Crs.CRS84, null));
        assertEquals(List.of(430000.0, 2555000.0, 431000.0, 2556000.0, 4547), gk.params().subList(0, 5));
        assertTrue(gk.sql().contains("ST_Transform(ST_Segmentize("));
    }

    @Test
    void aFilterKeepsItsOwnParametersRenumberedAfterThePages() {
        OffsetDateTime t = OffsetDateTime.parse("2024-01-05T00:00:00Z");
        ItemsQuery q = new ItemsQuery(HOUSES, 10, "4401050011", null, null, Crs.CRS84, t, null, Crs.CRS84, null)
                .where(new SqlCondition("f.properties->>'use' = $1 AND f.properties->>'floor' = $2", List.of("住宅", "3")));
        ItemsSql sql = ItemsSql.page(q);
        assertTrue(sql.sql().contains("(f.properties->>'use' = $3 AND f.properties->>'floor' = $4)"), sql.sql());
        assertEquals(List.of("4401050011", t, "住宅", "3", 7, 11), sql.params());
    }

    @Test
    void bboxAndDatetimeParametersAreCheckedOrRefused() {
        assertArrayEquals(new double[] {113, 23, 114, 24}, FeatureResource.bbox("113,23,114,24"));
        assertArrayEquals(new double[] {113, 23, 114, 24}, FeatureResource.bbox("113,23,0,114,24,10"));
        for (String bad : List.of("1,2,3", "a,b,c,d", "2,2,1,1", "1e999,1,2,3", "0x1,2,3,4")) {
            assertThrows(ApiError.class, () -> FeatureResource.bbox(bad), bad);
        }
        assertNull(FeatureResource.datetime("../..")[0]);
        OffsetDateTime[] day = FeatureResource.datetime("2024-01-05");
        assertEquals(OffsetDateTime.parse("2024-01-05T00:00:00Z"), day[0]);
        assertTrue(day[1].isAfter(OffsetDateTime.parse("2024-01-05T23:59:59Z")));
        assertNull(FeatureResource.datetime("2024-01-05T00:00:00+08:00/..")[1]);
        for (String bad : List.of("/", "x/y", "2024-01-06/2024-01-05", "a/b/c")) {
            assertThrows(ApiError.class, () -> FeatureResource.datetime(bad), bad);
        }
    }

    @Test
    void crsByUriOrSafeCurieOnlyFromTheList() {
        assertEquals(Crs.CGCS2000, Crs.byUri("http://www.opengis.net/def/crs/EPSG/0/4490").orElseThrow());
        assertEquals(Crs.WGS84, Crs.byUri("[EPSG:4326]").orElseThrow());
        assertEquals(Crs.CRS84, Crs.byUri("[OGC:CRS84]").orElseThrow());
        assertTrue(Crs.byUri("http://www.opengis.net/def/crs/EPSG/0/32650").isEmpty());
        assertTrue(Crs.byUri("EPSG:4326").isEmpty());
    }
}
