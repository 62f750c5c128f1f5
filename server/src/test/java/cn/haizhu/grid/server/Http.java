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
        return multipart(TestServer.get().baseUrl(), path, token, fields, fileField, fileName, fileType, content);
    }

    /** {@link #multipart(String, String, Map, String, String, String, InputStream)} to the server at {@code baseUrl}. */
    public static HttpResponse<String> multipart(String baseUrl, String path, String token, Map<String, String> fields,
                                                 String fileField, String fileName, String fileType, InputStream content) {
        String boundary = "gridctl-test-boundary";
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        fields.forEach((name, value) -> head.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        head.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField + "\"; filename=\""
                + fileName + "\"\r\nContent-Type: " + fileType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        InputStream body = new SequenceInputStream(new SequenceInputStream(new ByteArrayInputStream(head.toByteArray()), content),
                new ByteArrayInputStream(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8)));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    /**
     * A multipart upload the client gives up halfway, as a tablet losing its network does: the
     * headers announce more than ever comes, {@code sentBytes} of the file go out, and once
     * {@code storing} says the server is writing it down (or after 10 s) the connection drops.
     *
     * @return whether {@code storing} said so
     */
    public static boolean abandonUpload(String path, String token, String fileName, int sentBytes,
                                     java.util.function.BooleanSupplier storing) {
        URI base = URI.create(TestServer.get().baseUrl());
        String boundary = "gridctl-test-boundary";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            var out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: multipart/form-data; boundary=" + boundary
                    + "\r\nContent-Length: " + (head.length + 4L * sentBytes) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(head);
            byte[] part = new byte[sentBytes];
            java.util.Arrays.fill(part, (byte) 0xFF);
            out.write(part);
            out.flush();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (storing.getAsBoolean()) {
                    return true;
                }
                Thread.sleep(20);
            }
            return false;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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

    /** A new Open311 client key acting as {@code actAs}, issued by the demo admin (the key is shown once). */
    public static String open311Key(String actAs) {
        HttpResponse<String> r = post("/api/v1/open311-clients", "application/json", new io.vertx.core.json.JsonObject()
                .put("name", "test-" + java.util.UUID.randomUUID().toString().substring(0, 8)).put("actAs", actAs).encode(),
                token("admin"));
        if (r.statusCode() != 201) {
            throw new AssertionError("no Open311 key: " + r.statusCode() + " " + r.body());
        }
        return json(r).getString("key");
    }
}
