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
        HttpResponse<String> started = upload(token, "persons", "人口.csv",
                new java.io.ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
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
        HttpResponse<String> started = upload(token, "grids", "网格.geojson",
                new java.io.ByteArrayInputStream(geojson.getBytes(StandardCharsets.UTF_8)), true);
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
