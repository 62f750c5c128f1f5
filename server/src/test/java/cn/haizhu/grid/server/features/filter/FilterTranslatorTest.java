package cn.haizhu.grid.server.features.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.sqlclient.data.Numeric;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The CQL2 text parser and translator, by the conformance classes of OGC API Features Part 3's abstract
 * test suite that this server declares: CQL2 Text, Basic CQL2, Advanced Comparison Operators, Basic
 * Spatial Functions (with additional spatial literals), Spatial Functions; plus the errors a client
 * meets.
 */
class FilterTranslatorTest {
    private static final CollectionQueryables HOUSES = Queryables.of("houses").orElseThrow();
    private static final CollectionQueryables CASES = Queryables.of("cases").orElseThrow();

    private static SqlFilter houses(String filter) {
        return FilterTranslator.translate(filter, HOUSES, FilterCrs.CRS84, "h", 1);
    }

    private static SqlFilter cases(String filter) {
        return FilterTranslator.translate(filter, CASES, FilterCrs.CRS84, "c", 1);
    }

    private static FilterException refused(String filter) {
        return assertThrows(FilterException.class, () -> houses(filter), filter);
    }

    @Nested
    class BasicCql2 {
        @Test
        void everyComparisonOperatorBindsItsLiteralAsAParameter() {
            for (String op : List.of("=", "<>", "<", "<=", ">", ">=")) {
                SqlFilter f = houses("use " + op + " '住宅'");
                assertEquals("h.use " + op + " $1::text", f.sql());
                assertEquals(List.of("住宅"), f.params());
            }
        }

        @Test
        void theLiteralMayStandLeftAndPropertiesMayCompareWithEachOther() {
            assertEquals("$1::text = h.code", houses("'44010500100101' = code").sql());
            assertEquals("h.grid_code <> h.community_code", houses("grid_code <> community_code").sql());
        }

        @Test
        void placeholdersStartWhereTheFeaturesQueryLeavesOff() {
            SqlFilter f = FilterTranslator.translate("floor > 3 AND use = '办公'", HOUSES, FilterCrs.CRS84, "h", 5);
            assertEquals("(h.floor > $5::bigint) AND (h.use = $6::text)", f.sql());
            assertEquals(List.of(3L, "办公"), f.params());
        }

        @Test
        void andBindsTighterThanOrAndNotTighterThanAnd() {
            assertEquals("(h.floor = $1::bigint) OR ((h.floor = $2::bigint) AND (NOT (h.use = $3::text)))",
                    houses("floor = 1 OR floor = 2 AND NOT use = 'x'").sql());
            assertEquals("((h.floor = $1::bigint) OR (h.floor = $2::bigint)) AND (h.use = $3::text)",
                    houses("(floor = 1 OR floor = 2) AND use = 'x'").sql());
        }

        @Test
        void keywordsAreReadWithoutCase() {
            assertEquals(houses("floor = 1 AND room IS NOT NULL").sql(), houses("floor = 1 and room is not null").sql());
        }

        @Test
        void isNullAndIsNotNull() {
            assertEquals("(h.room) IS NULL", houses("room IS NULL").sql());
            assertEquals("(h.room) IS NOT NULL", houses("room IS NOT NULL").sql());
        }

        @Test
        void stringLiteralsKeepQuotesAndChineseAsValuesNeverAsSql() {
            SqlFilter f = houses("address = '江南大道中''1号'' OR 1=1 --'");
            assertEquals("h.address = $1::text", f.sql());
            assertEquals(List.of("江南大道中'1号' OR 1=1 --"), f.params());
        }

        @Test
        void numbersBindByTheColumnsType() {
            assertEquals(List.of(-5L), houses("floor >= -5").params());
            assertEquals("h.floor > $1::numeric", houses("floor > 2.5").sql());
            assertEquals(List.of(Numeric.create(new BigDecimal("2.5"))), houses("floor > 2.5").params());
            SqlFilter area = FilterTranslator.translate("area_m2 > 1.5e4", Queryables.of("grids").orElseThrow(),
                    FilterCrs.CRS84, "g", 1);
            assertEquals("g.area_m2 > $1::double precision", area.sql());
            assertEquals(List.of(15000.0), area.params());
        }

        @Test
        void booleanDateAndTimestampLiterals() {
            SqlFilter f = cases("near_boundary = TRUE AND closed_on_time <> false");
            assertEquals("(c.near_boundary = $1::boolean) AND (c.closed_on_time <> $2::boolean)", f.sql());
            assertEquals(List.of(true, false), f.params());
            SqlFilter t = cases("created_at >= TIMESTAMP('2026-01-02T03:04:05Z')");
            assertEquals("c.created_at >= $1::timestamptz", t.sql());
            assertEquals(List.of(OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC)), t.params());
            // a timestamp with an offset is the same instant in UTC
            assertEquals(List.of(OffsetDateTime.of(2026, 1, 1, 19, 4, 5, 0, ZoneOffset.UTC)),
                    cases("created_at >= TIMESTAMP('2026-01-02T03:04:05+08:00')").params());
            assertEquals(List.of(LocalDate.of(2026, 1, 2)), cases("DATE('2026-01-02') = DATE('2026-01-02')").params().subList(0, 1));
        }

        @Test
        void aBooleanLiteralStandsAsAPredicate() {
            assertEquals("TRUE", houses("TRUE").sql());
            assertEquals("(FALSE) OR (h.floor = $1::bigint)", houses("false or floor = 1").sql());
        }

        @Test
        void doubleQuotedNamesMayBeReservedWords() {
            assertEquals("h.use = $1::text", houses("\"use\" = '住宅'").sql());
        }
    }

    @Nested
    class AdvancedComparisonOperators {
        @Test
        void likeAndNotLike() {
            assertEquals("h.address LIKE $1::text", houses("address LIKE '%江南大道%'").sql());
            assertEquals("h.address NOT LIKE $1::text", houses("address NOT LIKE '%江南\\%'").sql());
            assertEquals(List.of("%江南\\%"), houses("address NOT LIKE '%江南\\%'").params());
        }

        @Test
        void betweenAndNotBetween() {
            assertEquals("h.floor BETWEEN $1::bigint AND $2::bigint", houses("floor BETWEEN 1 AND 5").sql());
            assertEquals("(h.floor NOT BETWEEN $1::bigint AND $2::bigint) AND (h.use = $3::text)",
                    houses("floor NOT BETWEEN 1 AND 5 AND use = 'x'").sql());
        }

        @Test
        void inAndNotIn() {
            SqlFilter f = houses("use IN ('住宅', '办公')");
            assertEquals("h.use IN ($1::text, $2::text)", f.sql());
            assertEquals(List.of("住宅", "办公"), f.params());
            assertEquals("h.floor NOT IN ($1::bigint)", houses("floor NOT IN (3)").sql());
        }
    }

    @Nested
    class SpatialFunctions {
        @Test
        void sIntersectsWithAPointInCrs84ReadsLongitudeFirst() {
            SqlFilter f = houses("S_INTERSECTS(geometry, POINT(113.3 23.1))");
            assertEquals("h.geom && ST_GeomFromText($1::text, 4326) AND ST_Intersects(h.geom, ST_GeomFromText($1::text, 4326))", f.sql());
            assertEquals(List.of("POINT(113.3 23.1)"), f.params());
        }

        @Test
        void everyWktTypeAndBbox() {
            assertEquals(List.of("LINESTRING(113.3 23.1,113.4 23.2)"),
                    houses("S_INTERSECTS(geometry, LINESTRING(113.3 23.1, 113.4 23.2))").params());
            assertEquals(List.of("POLYGON((113.0 23.0,114.0 23.0,114.0 24.0,113.0 23.0))"),
                    houses("S_WITHIN(geometry, POLYGON((113 23, 114 23, 114 24, 113 23)))").params());
            assertEquals(List.of("MULTIPOINT(113.0 23.0,114.0 24.0)"),
                    houses("S_INTERSECTS(geometry, MULTIPOINT((113 23), (114 24)))").params());
            assertEquals(List.of("MULTIPOINT(113.0 23.0,114.0 24.0)"),
                    houses("S_INTERSECTS(geometry, MULTIPOINT(113 23, 114 24))").params());
            assertEquals(List.of("MULTILINESTRING((113.0 23.0,114.0 24.0),(113.0 24.0,114.0 23.0))"),
                    houses("S_INTERSECTS(geometry, MULTILINESTRING((113 23, 114 24), (113 24, 114 23)))").params());
            assertEquals(List.of("MULTIPOLYGON(((113.0 23.0,114.0 23.0,114.0 24.0,113.0 23.0)),((110.0 20.0,111.0 20.0,111.0 21.0,110.0 20.0)))"),
                    houses("S_WITHIN(geometry, MULTIPOLYGON(((113 23,114 23,114 24,113 23)),((110 20,111 20,111 21,110 20))))").params());
            assertEquals(List.of("POLYGON((113.2 23.0,113.4 23.0,113.4 23.2,113.2 23.2,113.2 23.0))"),
                    houses("S_INTERSECTS(geometry, BBOX(113.2, 23.0, 113.4, 23.2))").params());
            assertEquals(List.of("POINT(113.0 23.0)"), houses("S_INTERSECTS(geometry, POINT Z(113 23 10))").params());
            assertEquals(List.of("GEOMETRYCOLLECTION(POINT(113.0 23.0),LINESTRING(113.0 23.0,114.0 24.0),"
                            + "GEOMETRYCOLLECTION(MULTIPOINT(113.0 23.0)))"),
                    houses("S_INTERSECTS(geometry, GEOMETRYCOLLECTION(POINT(113 23), LINESTRING(113 23, 114 24), "
                            + "GEOMETRYCOLLECTION(MULTIPOINT(113 23))))").params());
        }

        @Test
        void theOtherSpatialFunctionsAndTheGeometryOnEitherSide() {
            assertEquals("ST_GeomFromText($1::text, 4326) && h.geom AND ST_Contains(ST_GeomFromText($1::text, 4326), h.geom)",
                    houses("s_contains(POLYGON((113 23, 114 23, 114 24, 113 23)), geometry)").sql());
            // disjoint geometries share no box: no && to help the index
            assertEquals("ST_Disjoint(h.geom, ST_GeomFromText($1::text, 4326))", houses("S_DISJOINT(geometry, POINT(113 23))").sql());
            for (String f : List.of("S_EQUALS", "S_TOUCHES", "S_OVERLAPS", "S_CROSSES", "S_WITHIN")) {
                assertTrue(houses(f + "(geometry, POINT(113 23))").sql().contains(" AND ST_"), f);
            }
        }

        @Test
        void filterCrsSwapsLatitudeFirstAxesAndTransformsIntoTheTablesSrid() {
            SqlFilter epsg4326 = FilterTranslator.translate("S_INTERSECTS(geometry, POINT(23.1 113.3))", HOUSES,
                    FilterCrs.EPSG_4326, "h", 1);
            assertEquals("h.geom && ST_GeomFromText($1::text, 4326) AND ST_Intersects(h.geom, ST_GeomFromText($1::text, 4326))", epsg4326.sql());
            assertEquals(List.of("POINT(113.3 23.1)"), epsg4326.params());
            SqlFilter cgcs = FilterTranslator.translate("S_INTERSECTS(geometry, POINT(23.1 113.3))", HOUSES,
                    FilterCrs.EPSG_4490, "h", 1);
            assertEquals("h.geom && ST_Transform(ST_GeomFromText($1::text, 4490), 4326) AND ST_Intersects(h.geom, ST_Transform(ST_GeomFromText($1::text, 4490), 4326))", cgcs.sql());
            assertEquals(List.of("POINT(113.3 23.1)"), cgcs.params());
            SqlFilter gk = FilterTranslator.translate("S_INTERSECTS(geometry, POINT(2555000 530000))", HOUSES,
                    FilterCrs.EPSG_4547, "h", 1);
            assertEquals(List.of("POINT(530000.0 2555000.0)"), gk.params());
            SqlFilter mercator = FilterTranslator.translate("S_INTERSECTS(geometry, POINT(12612000 2643000))", HOUSES,
                    FilterCrs.EPSG_3857, "h", 1);
            assertEquals("h.geom && ST_Transform(ST_GeomFromText($1::text, 3857), 4326) AND ST_Intersects(h.geom, ST_Transform(ST_GeomFromText($1::text, 3857), 4326))", mercator.sql());
            assertEquals(List.of("POINT(1.2612E7 2643000.0)"), mercator.params());
        }

        @Test
        void filterCrsIsNamedByItsUri() {
            assertEquals(FilterCrs.CRS84, FilterCrs.of(null));
            assertEquals(FilterCrs.EPSG_4547, FilterCrs.of("http://www.opengis.net/def/crs/EPSG/0/4547"));
            FilterException e = assertThrows(FilterException.class, () -> FilterCrs.of("EPSG:9999"));
            assertTrue(e.getMessage().contains("filter-crs"), e.getMessage());
            assertEquals(FilterException.CODE, e.toApiError().code());
        }

        @Test
        void positionsOutsideTheCrsAreAFilterError() {
            assertTrue(refused("S_INTERSECTS(geometry, POINT(23.1 113.3))").getMessage().contains("outside"));
            assertThrows(FilterException.class, () -> FilterTranslator.translate(
                    "S_INTERSECTS(geometry, POINT(113.3 23.1))", HOUSES, FilterCrs.EPSG_4326, "h", 1));
        }
    }

    @Nested
    class Errors {
        @Test
        void aSyntaxErrorSaysWhereAndWhatWasExpected() {
            FilterException e = refused("floor = 1 AND");
            assertEquals(14, e.position());
            assertTrue(e.expected().contains("a property, a literal"), e.expected());
            FilterException missing = refused("floor 1");
            assertEquals(7, missing.position());
            assertTrue(missing.getMessage().contains("comparison operator"), missing.getMessage());
            assertEquals(11, refused("(floor = 1").position());
            assertEquals(9, refused("use = 'x").position());
            assertEquals(11, refused("floor = 1 floor = 2").position());
        }

        @Test
        void anUnknownPropertyNamesTheQueryables() {
            FilterException e = refused("id_number = '440105'");
            assertEquals(1, e.position());
            assertTrue(e.getMessage().contains("'id_number' is not a queryable of houses"), e.getMessage());
            assertTrue(e.getMessage().contains("grid_code"), e.getMessage());
        }

        @Test
        void typeMismatches() {
            assertTrue(refused("floor = '3'").getMessage().contains("integer does not compare with a string"));
            assertTrue(refused("updated_at > DATE('2026-01-01')").getMessage().contains("timestamp"));
            assertTrue(refused("geometry = POINT(113 23)").getMessage().contains("spatial function"));
            assertTrue(refused("S_INTERSECTS(use, POINT(113 23))").getMessage().contains("geometry"));
            assertTrue(refused("floor LIKE '1%'").getMessage().contains("LIKE"));
            assertTrue(refused("use BETWEEN 'a' AND 'b'").getMessage().contains("BETWEEN"));
            assertTrue(refused("use IN ('a', 1)").getMessage().contains("IN"));
            assertThrows(FilterException.class, () -> cases("near_boundary < TRUE"));
        }

        @Test
        void badLiterals() {
            assertTrue(refused("updated_at > TIMESTAMP('yesterday')").getMessage().contains("timestamp"));
            refused("updated_at > DATE('2026-02-30')");
            refused("floor > 1e999999999999");
            refused("S_WITHIN(geometry, POLYGON((113 23, 114 23, 114 24)))");
            refused("S_WITHIN(geometry, BBOX(114, 23, 113, 24))");
            refused("S_WITHIN(geometry, BBOX(113, 23, 114))");
            refused("S_INTERSECTS(geometry, LINESTRING(113 23))");
        }

        @Test
        void emptyTooLongAndTooDeep() {
            refused("");
            refused("   ");
            assertThrows(FilterException.class, () -> Cql2Parser.parse("a = '" + "x".repeat(Cql2Parser.MAX_LENGTH) + "'"));
            String deep = "(".repeat(10_000) + "floor = 1" + ")".repeat(10_000);
            assertTrue(refused(deep).getMessage().contains("nested deeper"));
            assertTrue(refused("NOT ".repeat(10_000) + "floor = 1").getMessage().contains("nested deeper"));
            assertTrue(refused("S_INTERSECTS(geometry, " + "GEOMETRYCOLLECTION(".repeat(3_000) + "POINT(1 2)"
                    + ")".repeat(3_001)).getMessage().contains("nested deeper"));
            assertTrue(refused("S_INTERSECTS(geometry, GEOMETRYCOLLECTION(1 2))").getMessage().contains("a WKT geometry"));
            assertFalse(houses("(".repeat(50) + "floor = 1" + ")".repeat(50)).sql().isEmpty());
        }

        @Test
        void onlyCql2TextIsAFilterLanguage() {
            Cql2Filters.requireCql2Text(null);
            Cql2Filters.requireCql2Text("cql2-text");
            FilterException e = assertThrows(FilterException.class, () -> Cql2Filters.requireCql2Text("cql2-json"));
            assertTrue(e.getMessage().contains("filter-lang"), e.getMessage());
        }

        @Test
        void theApiErrorIsA400InvalidFilterWithThePosition() {
            var error = refused("floor = ").toApiError();
            assertEquals(400, error.status());
            assertEquals("invalid_filter", error.code());
            assertEquals(9, error.toJson().getJsonObject("error").getJsonObject("details").getInteger("position"));
        }
    }
}
