package cn.haizhu.grid.server.attachments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Photos from the tablet: stored once per id, checked by content, served back with a thumbnail. */
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
                .header("Authorization", "Bearer " + Http.token("dispatcher")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, thumb.statusCode());
        assertEquals("image/jpeg", thumb.headers().firstValue("content-type").orElse(""));
        assertEquals(320, ImageIO.read(new ByteArrayInputStream(thumb.body())).getWidth());
        HttpResponse<byte[]> full = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(TestServer.get().baseUrl() + j.getString("url")))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(jpeg.length, full.body().length);
    }

    @Test
    void theSameIdWithOtherBytesIsAConflict() throws Exception {
        String token = Http.token("worker");
        String id = UUID.randomUUID().toString();
        assertEquals(201, send(token, Map.of("id", id), "a.png",
                Files.readAllBytes(ImageCheckTest.photo(dir, "a.png", "png", 50, 50))).statusCode());
        HttpResponse<String> other = send(token, Map.of("id", id), "b.png",
                Files.readAllBytes(ImageCheckTest.photo(dir, "b.png", "png", 60, 40)));
        assertEquals(409, other.statusCode(), other.body());
        assertEquals("id_in_use", Http.json(other).getJsonObject("error").getString("code"));
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

    @Test
    void theDataOfficerMayNotSendPhotosAndStrangersSeeNothing() throws Exception {
        byte[] png = Files.readAllBytes(ImageCheckTest.photo(dir, "c.png", "png", 20, 20));
        assertEquals(403, send(Http.token("officer"), Map.of(), "c.png", png).statusCode());
        assertEquals(401, send(null, Map.of(), "c.png", png).statusCode());
        assertEquals(401, Http.get("/api/v1/attachments/" + UUID.randomUUID(), null).statusCode());
        assertEquals(404, Http.get("/api/v1/attachments/" + UUID.randomUUID(), Http.token("worker")).statusCode());
    }
}
