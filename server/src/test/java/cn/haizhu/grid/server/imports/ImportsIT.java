package cn.haizhu.grid.server.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.codes.IdNumber;
import cn.haizhu.grid.server.DataFolder;
import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The import API as the import page uses it: multipart upload, job progress, rejected rows and warnings. */
class ImportsIT {
    private static HttpResponse<String> upload(String token, String dataset, String fileName, InputStream content) {
        return upload(token, dataset, fileName, content, false);
    }

    private static HttpResponse<String> upload(String token, String dataset, String fileName, InputStream content,
                                               boolean dryRun) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("dataset", dataset);
        if (dryRun) {
            fields.put("dryRun", "true");
        }
        return Http.multipart("/api/v1/imports", token, fields, "file", fileName, "text/csv", content);
    }

    private static String aHouse() throws Exception {
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT code FROM house ORDER BY code LIMIT 1")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void anOfficerUploadsWatchesTheJobAndDownloadsTheRejects() throws Exception {
        String token = Http.token("officer");
        String id = "44010519750505001" + IdNumber.checkChar("44010519750505001");
        String csv = "身份证号,姓名,性别,出生日期,户籍类型,房屋编码\n"
                + id + ",周九,男,1975-05-05,户籍," + aHouse() + "\n"
                + "440105197505050010,吴十,男,1975-05-05,户籍," + aHouse() + "\n";
        JsonObject state = finished(token, upload(token, "persons", "人口.csv",
                new java.io.ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8))));
        String job = state.getString("id");
        assertEquals("succeeded", state.getString("status"), state.encode());
        assertEquals(1, state.getLong("inserted"));
        assertEquals(1, state.getLong("rejected"));
        HttpResponse<String> rejects = Http.get("/api/v1/imports/" + job + "/rejects.csv", token);
        assertEquals(200, rejects.statusCode());
        assertTrue(rejects.body().contains("身份证号不合规"), rejects.body());
        assertTrue(Http.json(Http.get("/api/v1/imports", token)).getJsonArray("items").stream()
                .anyMatch(o -> ((JsonObject) o).getString("id").equals(job)), "listed");
    }

    /** A grid file with a repairable polygon and a bow-tie, as a dry run (the shared demo grids stay as they are). */
    @Test
    void gridsUploadAndTheJobCountsWarningsApartFromRejects() throws Exception {
        String token = Http.token("officer");
        double x;
        double y;
        String community;
        try (Connection c = TestServer.get().db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT community_code, ST_X(p), ST_Y(p) FROM (SELECT community_code,"
                     + " ST_PointOnSurface(geom) p FROM grid ORDER BY code LIMIT 1) g")) {
            rs.next();
            community = rs.getString(1);
            x = rs.getDouble(2);
            y = rs.getDouble(3);
        }
        double u = 0.00004;
        // a square whose ring touches itself to enclose a hole (repaired, a warning) and a bow-tie (rejected)
        double[][] touching = {{0, 0}, {10, 0}, {10, 10}, {5, 10}, {7, 5}, {3, 5}, {5, 10}, {0, 10}, {0, 0}};
        double[][] bowTie = {{0, 0}, {10, 10}, {10, 0}, {0, 10}, {0, 0}};
        String geojson = "{\"type\":\"FeatureCollection\",\"features\":["
                + feature(community + "98", ring(touching, x, y, u)) + "," + feature(community + "97", ring(bowTie, x + 20 * u, y, u)) + "]}";
        JsonObject state = finished(token, upload(token, "grids", "网格.geojson",
                new java.io.ByteArrayInputStream(geojson.getBytes(StandardCharsets.UTF_8)), true));
        String job = state.getString("id");
        assertEquals("dry_run", state.getString("status"), state.encode());
        assertEquals("grids", state.getString("dataset"));
        assertEquals(1, state.getLong("inserted"), state.encode());
        assertEquals(1, state.getLong("rejected"), state.encode());
        assertEquals(1, state.getLong("warned"), state.encode());
        String rejects = Http.get("/api/v1/imports/" + job + "/rejects.csv", token).body();
        assertTrue(rejects.contains("row,severity,field,value,reason_zh,reason_en"), rejects);
        assertTrue(rejects.contains("1,warning,geometry,"), rejects);
        assertTrue(rejects.contains("2,error,geometry,"), rejects);
        assertTrue(rejects.contains("自相交（8字形）多边形"), rejects);
    }

    private static String feature(String code, String polygon) {
        return "{\"type\":\"Feature\",\"properties\":{\"网格编码\":\"" + code + "\"},\"geometry\":" + polygon + "}";
    }

    private static String ring(double[][] figure, double x, double y, double u) {
        StringBuilder sb = new StringBuilder("{\"type\":\"Polygon\",\"coordinates\":[[");
        for (int i = 0; i < figure.length; i++) {
            sb.append(i == 0 ? "" : ",").append('[').append(x + figure[i][0] * u).append(',').append(y + figure[i][1] * u).append(']');
        }
        return sb.append("]]}").toString();
    }

    private static final String STREET = "440105001";

    /** A data officer of one street (the demo has district-wide ones only), with the test password. */
    private static String streetOfficer() throws Exception {
        try (Connection c = TestServer.get().db.connection(); var ps = c.prepareStatement("""
                INSERT INTO app_user (username, display_name, password_hash, role, scope_kind, scope_code)
                VALUES ('officer-440105001', '赤岗街道数据管理员', ?, 'officer', 'street', '440105001')
                ON CONFLICT (username) DO NOTHING""")) {
            ps.setString(1, cn.haizhu.grid.data.users.PasswordHash.hash(TestServer.PASSWORD));
            ps.executeUpdate();
        }
        return Http.token("officer-440105001");
    }

    private static String[] row(String sql) throws Exception {
        return TestServer.get().firstRow(sql);
    }

    private static JsonObject finished(String token, HttpResponse<String> started) throws Exception {
        assertEquals(202, started.statusCode(), started.body());
        String job = Http.json(started).getString("id");
        JsonObject state = null;
        for (int i = 0; i < 100; i++) {
            state = Http.json(Http.get("/api/v1/imports/" + job, token));
            if (state.getBoolean("done")) {
                break;
            }
            Thread.sleep(100);
        }
        return state;
    }

    private static String id(String birth, String seq) {
        String body = "440105" + birth + seq;
        return body + IdNumber.checkChar(body);
    }

    @Test
    void aStreetsOfficerImportsOnlyWithinTheirStreet() throws Exception {
        String token = streetOfficer();
        String ours = row("SELECT code FROM house WHERE street_code = '" + STREET + "' ORDER BY code LIMIT 1")[0];
        String theirs = row("SELECT code FROM house WHERE street_code <> '" + STREET + "' ORDER BY code LIMIT 1")[0];
        String theirStreet = theirs.substring(0, 9);
        String csv = "身份证号,姓名,性别,出生日期,户籍类型,房屋编码\n"
                + id("19810707", "123") + ",郑一,男,1981-07-07,户籍," + ours + "\n"
                + id("19810707", "124") + ",王二,女,1981-07-07,户籍," + theirs + "\n";
        JsonObject persons = finished(token, upload(token, "persons", "人口.csv",
                new java.io.ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8))));
        assertEquals("succeeded", persons.getString("status"), persons.encode());
        assertEquals(1, persons.getLong("inserted"), "the resident of a house in the street");
        assertEquals(1, persons.getLong("rejected"), "not the one in a neighbouring street's house");
        String rejects = Http.get("/api/v1/imports/" + persons.getString("id") + "/rejects.csv", token).body();
        assertTrue(rejects.contains("3,error,id_number_hash,") && rejects.contains("超出您的数据范围（街道 " + STREET + "）")
                && rejects.contains("the row lies in street " + theirStreet), rejects);
        assertEquals("0", row("SELECT count(*)::text FROM person WHERE house_code = '" + theirs + "' AND name = '王二'")[0]);

        // houses (a dry run: the shared demo data stays): one new in the street, one new in another street, and one
        // of another street's existing houses moved into this street, which would take the neighbour's record
        String[] inside = row("SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p FROM grid WHERE street_code = '"
                + STREET + "' ORDER BY code LIMIT 1) g");
        String[] outside = row("SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p FROM grid WHERE street_code <> '"
                + STREET + "' ORDER BY code LIMIT 1) g");
        String houses = "房屋编码,地址,房屋用途,经度,纬度\n"
                + STREET + "999990000001,海珠区测试路1号,住宅," + inside[0] + "," + inside[1] + "\n"
                + theirStreet + "999990000002,海珠区测试路2号,住宅," + outside[0] + "," + outside[1] + "\n"
                + theirs + ",海珠区测试路3号,住宅," + inside[0] + "," + inside[1] + "\n";
        String houseRejects = dryRunRejects(token, "houses", "房屋.csv", houses, 1, 2);
        assertTrue(houseRejects.contains("3,error,code,") && houseRejects.contains("4,error,code,")
                && houseRejects.contains("the record exists in street " + theirStreet), houseRejects);

        // grids: one of another street by its code, and one of this street drawn into a neighbour
        String[] edge = row("SELECT community_code, ST_X(p), ST_Y(p) FROM (SELECT g.community_code,"
                + " ST_PointOnSurface(ST_Boundary(a.geom)) p FROM grid g JOIN admin_area a ON a.code = g.street_code"
                + " WHERE g.street_code = '" + STREET + "' ORDER BY g.code LIMIT 1) x");
        String otherCommunity = row("SELECT code FROM admin_area WHERE level = 'community' AND street_code <> '" + STREET
                + "' ORDER BY code LIMIT 1")[0];
        double d = 0.002;
        String grids = "网格编码,边界\n"
                + otherCommunity + "96,\"" + square(Double.parseDouble(inside[0]), Double.parseDouble(inside[1]), 0.0002) + "\"\n"
                + edge[0] + "96,\"" + square(Double.parseDouble(edge[1]), Double.parseDouble(edge[2]), d) + "\"\n"
                + edge[0] + "95,\"" + square(Double.parseDouble(inside[0]), Double.parseDouble(inside[1]), 0.0002) + "\"\n";
        String gridRejects = dryRunRejects(token, "grids", "网格.csv", grids, 1, 2);
        assertTrue(gridRejects.contains("the row lies in street " + otherCommunity.substring(0, 9))
                && gridRejects.contains("the grid's polygon reaches outside street " + STREET), gridRejects);

        // the street's officer sees their own jobs, not the district's
        String districtJob = Http.json(Http.get("/api/v1/imports?limit=200", Http.token("officer"))).getJsonArray("items").stream()
                .map(JsonObject.class::cast).filter(j -> !"officer-440105001".equals(j.getString("submittedBy")))
                .map(j -> j.getString("id")).findFirst().orElse(null);
        for (Object o : Http.json(Http.get("/api/v1/imports?limit=200", token)).getJsonArray("items")) {
            assertEquals("officer-440105001", ((JsonObject) o).getString("submittedBy"));
        }
        if (districtJob != null) {
            assertEquals(404, Http.get("/api/v1/imports/" + districtJob, token).statusCode());
            assertEquals(404, Http.get("/api/v1/imports/" + districtJob + "/rejects.csv", token).statusCode());
        }
    }

    /** Imports {@code content} as a dry run (the shared demo data stays), checks its counts, returns its rejects CSV. */
    private static String dryRunRejects(String token, String dataset, String fileName, String content, long inserted,
                                        long rejected) throws Exception {
        JsonObject job = finished(token, upload(token, dataset, fileName,
                new java.io.ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), true));
        assertEquals("dry_run", job.getString("status"), job.encode());
        assertEquals(inserted, job.getLong("inserted"), job.encode());
        assertEquals(rejected, job.getLong("rejected"), job.encode());
        return Http.get("/api/v1/imports/" + job.getString("id") + "/rejects.csv", token).body();
    }

    /**
     * A network that cuts the body between the CR and the LF before each boundary (netty/netty#12729
     * keeps that CR in the field): the fields still read as sent, so a dry run stays a dry run.
     */
    @Test
    void formFieldsReadAsSentWhereTheNetworkCutsTheLineBreakBeforeABoundary() throws Exception {
        String token = Http.token("officer");
        String boundary = "gridctl-split-boundary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"dataset\"\r\n\r\nhouses\r"
                + "|\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"dryRun\"\r\n\r\ntrue\r"
                + "|\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"encoding\"\r\n\r\nUTF-8\r"
                + "|\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"房屋.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n房屋编码,地址,房屋用途,经度,纬度\n" + aHouse() + ",海珠区测试路9号,住宅,113.3245,23.0963\n"
                + "\r\n--" + boundary + "--\r\n";
        String[] reads = body.split("\\|");
        int length = 0;
        for (String r : reads) {
            length += r.getBytes(StandardCharsets.UTF_8).length;
        }
        URI server = URI.create(TestServer.get().baseUrl());
        String answer;
        try (java.net.Socket socket = new java.net.Socket(server.getHost(), server.getPort())) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            var out = socket.getOutputStream();
            out.write(("POST /api/v1/imports HTTP/1.1\r\nHost: " + server.getAuthority() + "\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: " + length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            for (String r : reads) {
                out.write(r.getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(150); // each piece its own read at the server
            }
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(answer.startsWith("HTTP/1.1 202"), answer);
        String job = new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4)).getString("id");
        JsonObject state = null;
        for (int i = 0; i < 100 && (state == null || !state.getBoolean("done")); i++) {
            Thread.sleep(100);
            state = Http.json(Http.get("/api/v1/imports/" + job, token));
        }
        assertEquals("dry_run", state.getString("status"), "dryRun=true read as true: " + state.encode());
        assertEquals(0, Integer.parseInt(row("SELECT count(*)::text FROM house WHERE address = '海珠区测试路9号'")[0]),
                "nothing written");
    }

    private static String square(double x, double y, double half) {
        return String.format(java.util.Locale.ROOT, "POLYGON((%1$.7f %2$.7f, %3$.7f %2$.7f, %3$.7f %4$.7f, %1$.7f %4$.7f, %1$.7f %2$.7f))",
                x - half, y - half, x + half, y + half);
    }

    @Test
    void onlyRolesThatMayImportCanAndBadUploadsAre4xx() throws Exception {
        HttpResponse<String> denied = upload(Http.token("command"), "persons", "a.csv",
                new java.io.ByteArrayInputStream("x".getBytes(StandardCharsets.UTF_8)));
        assertEquals(403, denied.statusCode());
        String token = Http.token("officer");
        assertEquals(400, upload(token, "planets", "a.csv", new java.io.ByteArrayInputStream("x\n".getBytes(StandardCharsets.UTF_8))).statusCode());
        HttpResponse<String> noColumns = upload(token, "persons", "a.csv",
                new java.io.ByteArrayInputStream("姓名\n张三\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(400, noColumns.statusCode(), noColumns.body());
        assertTrue(Http.json(noColumns).getJsonObject("error").getString("message").contains("id_number"));
        assertEquals(400, Http.get("/api/v1/imports/not-a-uuid", token).statusCode());
        assertEquals(404, Http.get("/api/v1/imports/00000000-0000-0000-0000-000000000000", token).statusCode());
    }

    /** Refused for whatever reason, or cut off halfway: the upload leaves no file in the data folder. */
    @Test
    void aFailedUploadLeavesNoFileBehind() throws Exception {
        Set<String> before = DataFolder.uploadFiles();
        String token = Http.token("officer");
        byte[] csv = "身份证号,姓名\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(400, upload(token, "planets", "a.csv", new ByteArrayInputStream(csv)).statusCode());
        Map<String, String> badOption = Map.of("dataset", "persons", "maxErrors", "lots");
        assertEquals(400, Http.multipart("/api/v1/imports", token, badOption, "file", "a.csv", "text/csv",
                new ByteArrayInputStream(csv)).statusCode());
        assertEquals(400, upload(token, "persons", "a.bin", new ByteArrayInputStream(csv)).statusCode(), "no such format");
        assertEquals(400, upload(token, "persons", "..", new ByteArrayInputStream(csv)).statusCode());
        assertEquals(400, upload(token, "persons", "a.csv", new ByteArrayInputStream(csv)).statusCode(), "columns missing");
        assertEquals(401, upload(null, "persons", "a.csv", new ByteArrayInputStream(csv)).statusCode());
        assertEquals(403, upload(Http.token("worker"), "persons", "a.csv", new ByteArrayInputStream(csv)).statusCode());
        assertTrue(Http.abandonUpload("/api/v1/imports", token, "cut.csv", 256 << 10,
                () -> !DataFolder.newSince(before).isEmpty()), "the server was storing the upload when it was cut off");
        DataFolder.assertNothingNewSince(before);
    }

    @Test
    void anUploadOverTheLimitIs413() throws Exception {
        Set<String> before = DataFolder.uploadFiles();
        long size = ImportResource.MAX_UPLOAD + (1 << 20);
        InputStream big = new InputStream() {
            long left = size;

            @Override
            public int read() {
                return left-- > 0 ? 'x' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                left -= n;
                return n;
            }
        };
        HttpResponse<String> r;
        try {
            r = upload(Http.token("officer"), "persons", "big.csv", big);
        } catch (IllegalStateException e) {
            // the server may close the connection as soon as it answers 413, before the client finished sending
            assertTrue(String.valueOf(e.getCause()).contains("IOException") || e.getCause() instanceof java.io.IOException, e.toString());
            DataFolder.assertNothingNewSince(before);
            return;
        }
        assertEquals(413, r.statusCode(), r.body());
        DataFolder.assertNothingNewSince(before);
    }
}
