package cn.haizhu.grid.server.features.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.CommandCenter;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Translated filters run in the real PostGIS on the demo tables through the reactive client (as the
 * features' query will run them), and find exactly the rows the same condition finds written by hand
 * in SQL. Each hand-written condition is checked to find some rows but not all, so a filter that
 * dropped its condition (or swapped its axes) could not pass.
 */
class FilterSqlIT {
    /** The rows of each collection as the features read them; {@code t} is the table alias filters use. */
    private static final Map<String, String> FROM = Map.of(
            "streets", "admin_area t WHERE t.level = 'street'",
            "communities", "admin_area t WHERE t.level = 'community'",
            "grids", "grid t WHERE true",
            "houses", "house t WHERE true",
            "enterprises", "enterprise t WHERE true",
            "cases", "civic_case t WHERE true");
    private static final Map<String, String> KEY = Map.of("streets", "code", "communities", "code", "grids", "code",
            "houses", "code", "enterprises", "credit_code", "cases", "case_number");
    private static final Map<String, String> TABLE = Map.of("streets", "admin_area", "communities", "admin_area",
            "grids", "grid", "houses", "house", "enterprises", "enterprise", "cases", "civic_case");

    private static Vertx vertx;
    private static Pool pool;
    private static double[] box;  // lon/lat of a box in the middle of the houses: west, south, east, north

    @BeforeAll
    static void start() throws Exception {
        TestServer server = TestServer.get();
        vertx = Vertx.vertx();
        pool = PgBuilder.pool().connectingTo(CommandCenter.ownerOptions(server.db)).using(vertx).build();
        String[] extent = server.firstRow("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
                + "(SELECT ST_Extent(geom)::geometry e FROM house) x");
        double w = Double.parseDouble(extent[0]), s = Double.parseDouble(extent[1]);
        double e = Double.parseDouble(extent[2]), n = Double.parseDouble(extent[3]);
        box = new double[] {w + (e - w) * 0.3, s + (n - s) * 0.3, w + (e - w) * 0.7, s + (n - s) * 0.7};
    }

    @AfterAll
    static void stop() {
        pool.close().await();
        vertx.close().await();
    }

    @Test
    void comparisonsFindWhatTheSameSqlFinds() {
        inTransaction(conn -> {
            String street = first(conn, "SELECT code FROM admin_area WHERE level = 'street' ORDER BY code LIMIT 1 OFFSET 3");
            String grid = first(conn, "SELECT code FROM grid ORDER BY code LIMIT 1 OFFSET 20");
            String use = first(conn, "SELECT use FROM house GROUP BY use ORDER BY count(*) LIMIT 1");
            String name = first(conn, "SELECT name FROM grid ORDER BY code LIMIT 1 OFFSET 7");
            same(conn, "houses", "street_code = '" + street + "'", "t.street_code = '" + street + "'");
            same(conn, "houses", "street_code <> '" + street + "' AND floor >= 3",
                    "t.street_code <> '" + street + "' AND t.floor >= 3");
            same(conn, "houses", "floor < 2 OR use = '" + use + "' AND floor > 5",
                    "t.floor < 2 OR (t.use = '" + use + "' AND t.floor > 5)");
            same(conn, "houses", "NOT (floor <= 4) AND room IS NOT NULL", "NOT (t.floor <= 4) AND t.room IS NOT NULL");
            same(conn, "houses", "unit IS NULL OR grid_code = '" + grid + "'", "t.unit IS NULL OR t.grid_code = '" + grid + "'");
            same(conn, "grids", "area_m2 > 200000.5", "t.area_m2 > 200000.5");
            same(conn, "grids", "name = '" + name + "'", "t.name = '" + name + "'");
            same(conn, "communities", "street_code = '" + street + "'", "t.street_code = '" + street + "'");
            same(conn, "streets", "code >= '" + street + "'", "t.code >= '" + street + "'");
            same(conn, "enterprises", "street_code = '" + street + "' OR industry IS NULL",
                    "t.street_code = '" + street + "' OR t.industry IS NULL");
            return Future.succeededFuture();
        });
    }

    @Test
    void advancedComparisonsFindWhatTheSameSqlFinds() {
        inTransaction(conn -> {
            String street = first(conn, "SELECT code FROM admin_area WHERE level = 'street' ORDER BY code LIMIT 1 OFFSET 5");
            // the address of one house without its last characters: its building's houses, and no other
            String building = first(conn, "SELECT left(address, length(address) - 6) FROM house ORDER BY code LIMIT 1 OFFSET 100");
            same(conn, "houses", "address LIKE '" + building + "%'", "t.address LIKE '" + building + "%'");
            same(conn, "houses", "address NOT LIKE '" + building + "%'", "t.address NOT LIKE '" + building + "%'");
            same(conn, "houses", "floor BETWEEN 2 AND 6", "t.floor BETWEEN 2 AND 6");
            same(conn, "houses", "floor NOT BETWEEN 2 AND 6", "t.floor NOT BETWEEN 2 AND 6");
            same(conn, "houses", "use IN ('住宅', '办公') AND street_code NOT IN ('" + street + "')",
                    "t.use IN ('住宅', '办公') AND t.street_code NOT IN ('" + street + "')");
            return Future.succeededFuture();
        });
    }

    @Test
    void spatialFunctionsInEveryFilterCrsFindWhatTheSameSqlFinds() {
        String envelope = "ST_MakeEnvelope(" + box[0] + ", " + box[1] + ", " + box[2] + ", " + box[3] + ", 4326)";
        String bboxLonLat = box[0] + ", " + box[1] + ", " + box[2] + ", " + box[3];
        String bboxLatLon = box[1] + ", " + box[0] + ", " + box[3] + ", " + box[2];
        inTransaction(conn -> {
            for (String collection : List.of("houses", "enterprises", "grids", "communities")) {
                same(conn, collection, FilterCrs.CRS84, "S_INTERSECTS(geometry, BBOX(" + bboxLonLat + "))",
                        "ST_Intersects(t.geom, " + envelope + ")");
            }
            same(conn, "grids", FilterCrs.CRS84, "S_WITHIN(geometry, BBOX(" + bboxLonLat + "))",
                    "ST_Within(t.geom, " + envelope + ")");
            // EPSG:4326 and CGCS2000 put latitude first
            same(conn, "houses", FilterCrs.EPSG_4326, "S_WITHIN(geometry, BBOX(" + bboxLatLon + "))",
                    "ST_Within(t.geom, " + envelope + ")");
            same(conn, "houses", FilterCrs.EPSG_4490, "S_INTERSECTS(geometry, BBOX(" + bboxLatLon + "))",
                    "ST_Intersects(t.geom, ST_Transform(ST_SetSRID(" + envelope + ", 4490), 4326))");
            // the projected CRSs: the same box as a polygon in each, the table side transformed by hand
            for (FilterCrs crs : List.of(FilterCrs.EPSG_3857, FilterCrs.EPSG_4547)) {
                String projected = "ST_Transform(ST_Segmentize(" + envelope + ", 0.001), " + crs.srid() + ")";
                String inAxisOrder = first(conn, "SELECT ST_AsText(" + (crs.swapsAxes() ? "ST_FlipCoordinates(" + projected + ")" : projected) + ")");
                String polygon = first(conn, "SELECT ST_AsText(" + projected + ")");
                same(conn, "houses", crs, "S_WITHIN(geometry, " + inAxisOrder + ")",
                        "ST_Within(ST_Transform(t.geom, " + crs.srid() + "), ST_GeomFromText('" + polygon + "', " + crs.srid() + "))");
            }
            // a collection of a box and a point far away finds what the box finds
            same(conn, "houses", FilterCrs.CRS84, "S_INTERSECTS(geometry, GEOMETRYCOLLECTION(POINT(0 0), POLYGON(("
                    + box[0] + " " + box[1] + ", " + box[2] + " " + box[1] + ", " + box[2] + " " + box[3] + ", "
                    + box[0] + " " + box[3] + ", " + box[0] + " " + box[1] + "))))",
                    "ST_Intersects(t.geom, " + envelope + ")");
            String line = "LINESTRING(" + box[0] + " " + box[1] + ", " + box[2] + " " + box[3] + ")";
            same(conn, "grids", FilterCrs.CRS84, "S_INTERSECTS(geometry, " + line + ") OR S_CROSSES(geometry, " + line + ")",
                    "ST_Intersects(t.geom, ST_GeomFromText('" + line + "', 4326))");
            return Future.succeededFuture();
        });
    }

    @Test
    void underRowLevelSecurityASpatialFilterUsesTheGistIndex() {
        double x = (box[0] + box[2]) / 2, y = (box[1] + box[3]) / 2;
        SqlFilter filter = FilterTranslator.translate("S_INTERSECTS(geometry, BBOX(" + x + ", " + y + ", " + (x + 0.0005)
                + ", " + (y + 0.0005) + "))", Queryables.of("houses").orElseThrow(), FilterCrs.CRS84, "t", 1);
        inTransaction(conn -> {
            conn.query("SET LOCAL ROLE gridctl_app").execute().await();
            conn.query("SELECT set_config('gridctl.scope_kind', 'district', true)").execute().await();
            StringBuilder plan = new StringBuilder();
            conn.preparedQuery("EXPLAIN SELECT t.code FROM house t WHERE (" + filter.sql() + ")")
                    .execute(filter.addTo(Tuple.tuple())).await().forEach(row -> plan.append(row.getString(0)).append('\n'));
            assertTrue(plan.toString().contains("house_geom"), plan.toString());
            return Future.succeededFuture();
        });
    }

    @Test
    void casesCompareTheirBooleansTimestampsAndIntegers() {
        inTransaction(conn -> {
            conn.query("""
                INSERT INTO civic_case (case_number, source, category_code, urgency, title, geom, department_code,
                                        reporter_name, intake_hash, near_boundary, created_at, escalation_level, closed_on_time)
                SELECT 'HZFILTER' || i, 'patrol', 'BJ0101', 'normal', '测试案件' || i,
                       ST_SetSRID(ST_MakePoint(113.3 + i * 0.001, 23.1), 4326), 'CG', '巡查员', 'x' || i,
                       i % 2 = 0, TIMESTAMPTZ '2026-01-01 00:00:00+00' + i * INTERVAL '1 day', i % 3,
                       CASE WHEN i % 4 = 0 THEN NULL ELSE i % 4 = 1 END
                FROM generate_series(1, 12) i""").execute().await();
            same(conn, "cases", "near_boundary = TRUE", "t.near_boundary");
            same(conn, "cases", "closed_on_time <> false", "t.closed_on_time IS DISTINCT FROM false AND t.closed_on_time IS NOT NULL");
            same(conn, "cases", "closed_on_time IS NULL", "t.closed_on_time IS NULL");
            same(conn, "cases", "created_at >= TIMESTAMP('2026-01-05T00:00:00Z') AND created_at < TIMESTAMP('2026-01-09T08:00:00+08:00')",
                    "t.created_at >= '2026-01-05 00:00:00+00' AND t.created_at < '2026-01-09 00:00:00+00'");
            same(conn, "cases", "escalation_level IN (1, 2) AND title LIKE '测试案件1%'",
                    "t.escalation_level IN (1, 2) AND t.title LIKE '测试案件1%'");
            same(conn, "cases", "created_at BETWEEN TIMESTAMP('2026-01-03T00:00:00Z') AND TIMESTAMP('2026-01-06T00:00:00Z')",
                    "t.created_at BETWEEN '2026-01-03 00:00:00+00' AND '2026-01-06 00:00:00+00'");
            return Future.succeededFuture();
        });
    }

    @Test
    void everyQueryableIsAColumnOfItsTableOfTheDeclaredType() {
        Map<QueryableType, List<String>> types = Map.of(
                QueryableType.STRING, List.of("text", "character varying", "character"),
                QueryableType.NUMBER, List.of("double precision", "numeric", "real"),
                QueryableType.INTEGER, List.of("smallint", "integer", "bigint"),
                QueryableType.BOOLEAN, List.of("boolean"),
                QueryableType.DATE, List.of("date"),
                QueryableType.TIMESTAMP, List.of("timestamp with time zone"),
                QueryableType.GEOMETRY, List.of("USER-DEFINED"));
        inTransaction(conn -> {
            for (String id : Queryables.collectionIds()) {
                CollectionQueryables queryables = Queryables.of(id).orElseThrow();
                for (Queryable q : queryables.all()) {
                    String type = first(conn, "SELECT data_type FROM information_schema.columns WHERE table_name = '"
                            + TABLE.get(id) + "' AND column_name = '" + q.column() + "'");
                    assertTrue(types.get(q.type()).contains(type), id + "." + q.name() + " is " + type + ", not " + q.type());
                }
                assertEquals(String.valueOf(queryables.srid()), first(conn,
                        "SELECT Find_SRID('public', '" + TABLE.get(id) + "', 'geom')::text"));
            }
            return Future.succeededFuture();
        });
    }

    @Test
    void mutatedFiltersThatTranslateAlsoRun() {
        List<String> valid = List.of(
                "floor >= 3 AND use IN ('住宅', '办公') OR NOT (room IS NULL)",
                "address LIKE '%江南%' AND floor NOT BETWEEN -1 AND 2.5e1",
                "S_INTERSECTS(geometry, POLYGON((113.2 23.0, 113.4 23.0, 113.4 23.2, 113.2 23.0)))",
                "S_WITHIN(geometry, BBOX(113.2, 23.0, 113.4, 23.2)) AND updated_at > TIMESTAMP('2026-01-01T00:00:00Z')");
        Random random = new Random(5);
        List<SqlFilter> runnable = new ArrayList<>();
        for (int i = 0; i < 3000 && runnable.size() < 150; i++) {
            StringBuilder text = new StringBuilder(valid.get(random.nextInt(valid.size())));
            int at = random.nextInt(text.length());
            text.setCharAt(at, "0123456789.-() ,'"
                    .charAt(random.nextInt(17)));
            FilterCrs crs = FilterCrs.values()[random.nextInt(FilterCrs.values().length)];
            try {
                runnable.add(FilterTranslator.translate(text.toString(), Queryables.of("houses").orElseThrow(), crs, "t", 1));
            } catch (FilterException refused) {
                // the parser's answer; the fuzz unit test covers it
            }
        }
        assertFalse(runnable.isEmpty());
        inTransaction(conn -> {
            Future<Object> chain = Future.succeededFuture();
            for (SqlFilter f : runnable) {
                chain = chain.compose(x -> conn.preparedQuery("SELECT count(*) FROM house t WHERE " + f.sql())
                        .execute(f.addTo(Tuple.tuple())).map(rows -> null));
            }
            return chain;
        });
    }

    private static void same(SqlConnection conn, String collection, String cql2, String handWritten) {
        same(conn, collection, FilterCrs.CRS84, cql2, handWritten);
    }

    /** The translated filter and the hand-written condition find the same keys, some but not all. */
    private static void same(SqlConnection conn, String collection, FilterCrs crs, String cql2, String handWritten) {
        SqlFilter filter = FilterTranslator.translate(cql2, Queryables.of(collection).orElseThrow(), crs, "t", 2);
        String select = "SELECT coalesce(string_agg(t." + KEY.get(collection) + ", ',' ORDER BY t." + KEY.get(collection)
                + "), '') AS keys, count(*) AS n, (SELECT count(*) FROM " + FROM.get(collection) + ") AS total FROM "
                + FROM.get(collection) + " AND $1::int = 1 AND ";
        Row translated = conn.preparedQuery(select + "(" + filter.sql() + ")")
                .execute(filter.addTo(Tuple.of(1))).await().iterator().next();
        Row expected = conn.preparedQuery(select + "(" + handWritten + ")").execute(Tuple.of(1)).await().iterator().next();
        long n = expected.getLong("n");
        assertTrue(n > 0 && n < expected.getLong("total"),
                cql2 + ": the hand-written condition finds " + n + " of " + expected.getLong("total") + " rows");
        assertEquals(expected.getString("keys"), translated.getString("keys"), cql2 + " → " + filter.sql());
    }

    private static String first(SqlConnection conn, String sql) {
        return String.valueOf(conn.query(sql).execute().await().iterator().next().getValue(0));
    }

    /** Runs {@code work} on one connection in a transaction that is rolled back: the demo stays as it was. */
    private static void inTransaction(Function<SqlConnection, Future<?>> work) {
        SqlConnection conn = pool.getConnection().await();
        try {
            conn.query("BEGIN").execute().await();
            work.apply(conn).await();
        } finally {
            conn.query("ROLLBACK").execute().await();
            conn.close().await();
        }
    }
}
