package cn.haizhu.grid.server.attachments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.users.PasswordHash;
import cn.haizhu.grid.server.DataFolder;
import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Photos from the tablet: stored once per id, checked by content, served back with a thumbnail to
 * whoever sees the case that cites them; a refused or failed upload changes nothing stored.
 */
class AttachmentsIT {
    @TempDir
    Path dir;

    private static HttpResponse<String> send(String token, Map<String, String> fields, String name, byte[] bytes) {
        return Http.multipart("/api/v1/attachments", token, fields, "file", name, "image/jpeg", new ByteArrayInputStream(bytes));
    }

    @Test
    void aPhotoIsStoredOnceEvenWhenTheTabletRetries() throws Exception {
        String token = Http.token("worker");
        byte[] jpeg = Files.readAllBytes(ImageCheckTest.photo(dir, "p.jpg", "jpg", 1200, 900));
        String id = UUID.randomUUID().toString();
        HttpResponse<String> first = send(token, Map.of("id", id, "lon", "113.30", "lat", "23.10"), "现场.jpg", jpeg);
        assertEquals(201, first.statusCode(), first.body());
        JsonObject j = Http.json(first);
        assertEquals(id, j.getString("id"));
        assertEquals(1200, j.getInteger("width"));
        assertEquals("现场.jpg", j.getString("fileName"));
        assertEquals(113.30, j.getJsonObject("location").getDouble("lon"), 1e-9);
        HttpResponse<String> retry = send(token, Map.of("id", id), "现场.jpg", jpeg);
        assertEquals(200, retry.statusCode(), "a retry answers the stored photo");
        assertEquals(j.getString("uploadedAt"), Http.json(retry).getString("uploadedAt"));

        HttpResponse<byte[]> thumb = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(TestServer.get().baseUrl() + j.getString("thumbnailUrl")))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, thumb.statusCode());
        assertEquals("image/jpeg", thumb.headers().firstValue("content-type").orElse(""));
        assertEquals(320, ImageIO.read(new ByteArrayInputStream(thumb.body())).getWidth());
        HttpResponse<byte[]> full = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(TestServer.get().baseUrl() + j.getString("url")))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(jpeg.length, full.body().length);
    }

    @Test
    void theSameIdWithOtherBytesIsAConflictThatChangesNothingStored() throws Exception {
        String token = Http.token("worker");
        String id = UUID.randomUUID().toString();
        byte[] png = Files.readAllBytes(ImageCheckTest.photo(dir, "a.png", "png", 50, 50));
        assertEquals(201, send(token, Map.of("id", id), "a.png", png).statusCode());
        String photo = sha256(bytes("/api/v1/attachments/" + id, token));
        String thumbnail = sha256(bytes("/api/v1/attachments/" + id + "/thumbnail", token));
        Set<String> stored = DataFolder.uploadFiles();

        // another type (its own file name in the store) and the same type with other bytes
        HttpResponse<String> otherType = send(token, Map.of("id", id), "b.jpg",
                Files.readAllBytes(ImageCheckTest.photo(dir, "b.jpg", "jpg", 60, 40)));
        assertEquals(409, otherType.statusCode(), otherType.body());
        assertEquals("id_in_use", Http.json(otherType).getJsonObject("error").getString("code"));
        HttpResponse<String> otherBytes = send(token, Map.of("id", id), "c.png",
                Files.readAllBytes(ImageCheckTest.photo(dir, "c.png", "png", 60, 40)));
        assertEquals(409, otherBytes.statusCode(), otherBytes.body());

        assertEquals(photo, sha256(bytes("/api/v1/attachments/" + id, token)), "the stored photo is unchanged");
        assertEquals(thumbnail, sha256(bytes("/api/v1/attachments/" + id + "/thumbnail", token)), "and its thumbnail");
        DataFolder.assertNothingNewSince(stored);
        assertEquals(200, send(token, Map.of("id", id), "a.png", png).statusCode(), "a retry still answers the photo");
    }

    /** The server stopped between recording a photo and moving its files: the tablet's retry puts them in place. */
    @Test
    void aRetryRestoresFilesThatNeverReachedTheStore() throws Exception {
        String token = Http.token("worker");
        String id = UUID.randomUUID().toString();
        byte[] jpeg = Files.readAllBytes(ImageCheckTest.photo(dir, "f.jpg", "jpg", 400, 300));
        assertEquals(201, send(token, Map.of("id", id), "f.jpg", jpeg).statusCode());
        Path folder = TestServer.get().config.dataDir().resolve("attachments").resolve(id.substring(0, 2));
        Files.delete(folder.resolve(id + ".jpg"));
        Files.delete(folder.resolve(id + ".thumb.jpg"));
        assertEquals(200, send(token, Map.of("id", id), "f.jpg", jpeg).statusCode());
        assertArrayEquals(jpeg, bytes("/api/v1/attachments/" + id, token));
        assertEquals(200, getBytes("/api/v1/attachments/" + id + "/thumbnail", token).statusCode());
    }

    @Test
    void anotherUsersIdIsAConflictThatRevealsNothing() throws Exception {
        String id = UUID.randomUUID().toString();
        byte[] png = Files.readAllBytes(ImageCheckTest.photo(dir, "d.png", "png", 30, 30));
        assertEquals(201, send(Http.token("worker"), Map.of("id", id, "lon", "113.3", "lat", "23.1"), "d.png", png).statusCode());
        // the same bytes under the same id: not a retry of the dispatcher's, who may not see the photo
        HttpResponse<String> same = send(Http.token("dispatcher"), Map.of("id", id), "d.png", png);
        assertEquals(409, same.statusCode(), same.body());
        assertFalse(same.body().contains("worker") || same.body().contains("113.3"), same.body());
    }

    @Test
    void whatIsNotAPhotoIsRefusedWithTheReason() {
        String token = Http.token("worker");
        HttpResponse<String> html = send(token, Map.of(), "photo.jpg", "<html>".getBytes());
        assertEquals(415, html.statusCode());
        JsonObject error = Http.json(html).getJsonObject("error");
        assertEquals("not_a_photo", error.getString("code"));
        assertTrue(error.getJsonObject("details").getString("zh").contains("JPEG"));
        HttpResponse<String> badId = send(token, Map.of("id", "nope"), "x.jpg", new byte[] {(byte) 0xFF, (byte) 0xD8});
        assertEquals(400, badId.statusCode());
        HttpResponse<String> badLon = send(token, Map.of("lon", "east", "lat", "23.1"), "x.jpg", new byte[] {1});
        assertEquals(400, badLon.statusCode());
    }

    @Test
    void anOversizePhotoIsRefusedBeforeItIsStored() {
        InputStream huge = new InputStream() {
            long left = ImageCheck.MAX_BYTES + (1 << 20);

            @Override
            public int read() {
                return left-- > 0 ? 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 0xFF);
                left -= n;
                return n;
            }
        };
        HttpResponse<String> r = Http.multipart("/api/v1/attachments", Http.token("worker"), Map.of(), "file", "big.jpg",
                "image/jpeg", huge);
        assertEquals(413, r.statusCode());
        assertTrue(r.body().contains("\"error\""), r.body());
    }

    /** Refused for whatever reason, or cut off halfway: the upload leaves no file in the data folder. */
    @Test
    void aFailedUploadLeavesNoFileBehind() throws Exception {
        Set<String> before = DataFolder.uploadFiles();
        String token = Http.token("worker");
        byte[] jpeg = Files.readAllBytes(ImageCheckTest.photo(dir, "e.jpg", "jpg", 40, 30));
        assertEquals(400, send(token, Map.of("lon", "x", "lat", "23.1"), "e.jpg", jpeg).statusCode());
        assertEquals(400, send(token, Map.of("lon", "113.3"), "e.jpg", jpeg).statusCode());
        assertEquals(400, send(token, Map.of("id", "nope"), "e.jpg", jpeg).statusCode());
        assertEquals(415, send(token, Map.of(), "e.jpg", "<html>".getBytes(StandardCharsets.UTF_8)).statusCode());
        assertEquals(413, Http.multipart("/api/v1/attachments", token, Map.of(), "file", "big.jpg", "image/jpeg",
                new ByteArrayInputStream(new byte[(int) ImageCheck.MAX_BYTES + (128 << 10)])).statusCode());
        assertEquals(401, send(null, Map.of(), "e.jpg", jpeg).statusCode());
        assertEquals(403, send(Http.token("officer"), Map.of(), "e.jpg", jpeg).statusCode());
        assertTrue(Http.abandonUpload("/api/v1/attachments", token, "cut.jpg", 256 << 10,
                () -> !DataFolder.newSince(before).isEmpty()), "the server was storing the upload when it was cut off");
        DataFolder.assertNothingNewSince(before);
    }

    @Test
    void theDataOfficerMayNotSendPhotosAndStrangersSeeNothing() throws Exception {
        byte[] png = Files.readAllBytes(ImageCheckTest.photo(dir, "c.png", "png", 20, 20));
        assertEquals(403, send(Http.token("officer"), Map.of(), "c.png", png).statusCode());
        assertEquals(401, send(null, Map.of(), "c.png", png).statusCode());
        assertEquals(401, Http.get("/api/v1/attachments/" + UUID.randomUUID(), null).statusCode());
        assertEquals(404, Http.get("/api/v1/attachments/" + UUID.randomUUID(), Http.token("worker")).statusCode());
    }

    /**
     * A grid worker's photo is seen by its sender until a case cites it, then by whoever sees that case:
     * the dispatcher and the street, not another street, a worker of other grids, the data officer
     * (no case work) or a stranger. A photo they may not see is the same 404 as none at all.
     */
    @Test
    void aPhotoFollowsItsCase() throws Exception {
        String worker = Http.token("worker");
        String dispatcher = Http.token("dispatcher");
        String peer = Http.token("peer");
        String street = Http.token("command-440105001");
        String otherStreet = Http.token(user("photo-street-440105002", "command", "street", "440105002"));
        String otherGrids = Http.token(user("photo-worker-440105003", "worker", "grids", gridIn("440105003")));
        String officer = Http.token("officer");
        byte[] jpeg = Files.readAllBytes(ImageCheckTest.photo(dir, "现场.jpg", "jpg", 800, 600));
        String id = UUID.randomUUID().toString();
        double[] at = workerGridCentre();
        HttpResponse<String> sent = send(worker, Map.of("id", id, "lon", Double.toString(at[0]), "lat", Double.toString(at[1])),
                "现场.jpg", jpeg);
        assertEquals(201, sent.statusCode(), sent.body());

        // sent, not yet cited: its sender only
        assertReads(worker, id, jpeg);
        for (String other : List.of(dispatcher, peer, street, otherStreet, otherGrids)) {
            assertNotFound(other, id);
        }
        assertRefused(officer, id, 403);
        assertRefused(null, id, 401);

        // the worker reports the case with it (上报事件)
        HttpResponse<String> reported = Http.post("/api/v1/cases", "application/json", report(at, id).encode(), worker);
        assertEquals(201, reported.statusCode(), reported.body());
        for (String reader : List.of(worker, dispatcher, street, peer)) {
            assertReads(reader, id, jpeg);
        }
        JsonObject meta = Http.json(Http.get("/api/v1/attachments/" + id + "/meta", dispatcher));
        assertEquals("worker", meta.getString("uploadedBy"));
        for (String other : List.of(otherStreet, otherGrids)) {
            assertNotFound(other, id);
        }
        assertRefused(officer, id, 403);
        assertRefused(null, id, 401);

        // citing someone else's photo on one's own case publishes nothing
        HttpResponse<String> cited = Http.post("/api/v1/cases", "application/json",
                report(centreOfAGridIn("440105002"), id).put("source", "command").encode(), otherStreet);
        assertEquals(201, cited.statusCode(), cited.body());
        assertNotFound(otherStreet, id);
    }

    // ── helpers ──

    private static HttpResponse<byte[]> getBytes(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return java.net.http.HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] bytes(String path, String token) throws Exception {
        HttpResponse<byte[]> r = getBytes(path, token);
        assertEquals(200, r.statusCode(), path);
        return r.body();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static void assertReads(String token, String id, byte[] photo) throws Exception {
        assertArrayEquals(photo, bytes("/api/v1/attachments/" + id, token));
        assertEquals(200, getBytes("/api/v1/attachments/" + id + "/thumbnail", token).statusCode());
        assertEquals(id, Http.json(Http.get("/api/v1/attachments/" + id + "/meta", token)).getString("id"));
    }

    /** Each of the three answers exactly as for an id that does not exist. */
    private static void assertNotFound(String token, String id) throws Exception {
        String unknown = UUID.randomUUID().toString();
        for (String tail : List.of("", "/thumbnail", "/meta")) {
            HttpResponse<byte[]> hidden = getBytes("/api/v1/attachments/" + id + tail, token);
            HttpResponse<byte[]> none = getBytes("/api/v1/attachments/" + unknown + tail, token);
            assertEquals(404, hidden.statusCode(), tail);
            assertEquals(new String(none.body(), StandardCharsets.UTF_8).replace(unknown, id),
                    new String(hidden.body(), StandardCharsets.UTF_8), tail);
        }
    }

    private static void assertRefused(String token, String id, int status) throws Exception {
        for (String tail : List.of("", "/thumbnail", "/meta")) {
            HttpResponse<byte[]> r = getBytes("/api/v1/attachments/" + id + tail, token);
            assertEquals(status, r.statusCode(), tail);
            assertFalse(new String(r.body(), StandardCharsets.UTF_8).contains("uploadedBy"));
        }
    }

    private static JsonObject report(double[] at, String attachment) {
        return new JsonObject().put("source", "patrol").put("category", "SJ0107").put("urgency", "normal")
                .put("title", "围墙乱涂乱画").put("location", new JsonObject().put("lon", at[0]).put("lat", at[1]))
                .put("attachments", new JsonArray().add(attachment));
    }

    /** A user for this test, password {@link TestServer#PASSWORD}, made once. */
    private static String user(String username, String role, String scopeKind, String scopeCode) throws Exception {
        try (Connection c = TestServer.get().db.connection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO app_user (username, display_name, password_hash, role, scope_kind, scope_code)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING""")) {
            ps.setString(1, username);
            ps.setString(2, username);
            ps.setString(3, PasswordHash.hash(TestServer.PASSWORD));
            ps.setString(4, role);
            ps.setString(5, scopeKind);
            ps.setString(6, scopeCode);
            ps.executeUpdate();
        }
        return username;
    }

    private static String gridIn(String street) throws Exception {
        return TestServer.get().firstRow("SELECT code FROM grid WHERE street_code = '" + street + "' ORDER BY code LIMIT 1")[0];
    }

    private static double[] centreOfAGridIn(String street) throws Exception {
        return centre("SELECT geom FROM grid WHERE street_code = '" + street + "' ORDER BY code LIMIT 1");
    }

    /** Deep inside the demo worker's first grid. */
    private static double[] workerGridCentre() throws Exception {
        return centre("SELECT geom FROM grid WHERE code = (SELECT split_part(scope_code, ',', 1) FROM app_user WHERE username = 'worker')");
    }

    private static double[] centre(String geomQuery) throws Exception {
        String[] xy = TestServer.get().firstRow("SELECT ST_X(c), ST_Y(c) FROM (SELECT (ST_MaximumInscribedCircle(geom)).center c FROM ("
                + geomQuery + ") g) p");
        return new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])};
    }
}
