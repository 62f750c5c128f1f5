package cn.haizhu.grid.server;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A plain HTTP client for API tests: real requests over loopback to the {@link TestServer}. */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private Http() {
    }

    public static HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl() + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    public static HttpResponse<String> post(String path, String contentType, String body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            // a request the server never answers fails its test instead of hanging the suite
            HttpRequest bounded = request.timeout().isPresent() ? request
                    : HttpRequest.newBuilder(request, (name, value) -> true).timeout(java.time.Duration.ofSeconds(120)).build();
            return CLIENT.send(bounded, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A multipart/form-data POST as a browser's form sends it: the fields, then one file streamed
     * from {@code content} (so a test can send more than fits in memory).
     */
    public static HttpResponse<String> multipart(String path, String token, Map<String, String> fields, String fileField,
                                                 String fileName, String fileType, InputStream content) {
        String boundary = "gridctl-test-boundary";
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        fields.forEach((name, value) -> head.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        head.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField + "\"; filename=\""
                + fileName + "\"\r\nContent-Type: " + fileType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        InputStream body = new SequenceInputStream(new SequenceInputStream(new ByteArrayInputStream(head.toByteArray()), content),
                new ByteArrayInputStream(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8)));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(TestServer.get().baseUrl() + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    /** A bearer token for a demo user. */
    public static String token(String username) {
        HttpResponse<String> r = post("/api/v1/auth/token", "application/json",
                new JsonObject().put("username", username).put("password", TestServer.PASSWORD).encode(), null);
        if (r.statusCode() != 201) {
            throw new IllegalStateException("login of " + username + " failed: " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body()).getString("token");
    }

    public static JsonObject json(HttpResponse<String> r) {
        return new JsonObject(r.body());
    }
}
