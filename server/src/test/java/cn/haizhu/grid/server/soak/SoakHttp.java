package cn.haizhu.grid.server.soak;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The soak's clients' HTTP: one JDK client (its own connection pool, as many sockets as requests in
 * flight), bearer tokens per signed-in user, every request timed into {@link Latencies} under a kind.
 * A request that fails on the network or times out counts as a failure with the time it took.
 */
final class SoakHttp {
    /** One signed-in user: signs in again when the server says the token is no longer good (401). */
    final class Session {
        final String username;
        private volatile String token;

        private Session(String username) {
            this.username = username;
        }

        private synchronized String token(String stale) throws IOException, InterruptedException {
            // the server lets only a few sign-ins hash at once (429 sign_in_busy, retry after a second):
            // fifty tablets coming up together wait their turn as the app does
            for (int attempt = 0; token == null || token.equals(stale); attempt++) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/token"))
                        .header("Content-Type", "application/json").timeout(TIMEOUT)
                        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", username)
                                .put("password", password).encode())).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 201 || r.statusCode() == 200) {
                    token = new JsonObject(r.body()).getString("token");
                } else if (r.statusCode() == 429 && attempt < 60) {
                    latencies.count("sign-ins told to wait (429)");
                    Thread.sleep(1000 + (long) (Math.random() * 1000));
                } else {
                    throw new IllegalStateException("sign-in of " + username + " answered " + r.statusCode() + ": " + r.body());
                }
            }
            return token;
        }

        HttpResponse<String> get(String kind, String path) {
            return send(kind, HttpRequest.newBuilder(URI.create(base + path)).GET());
        }

        HttpResponse<String> postJson(String kind, String path, JsonObject body) {
            return send(kind, HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
        }

        /** A multipart/form-data POST as a browser's form sends it: the fields, then one file. */
        HttpResponse<String> postForm(String kind, String path, Map<String, String> fields, String fileName, String type,
                                      byte[] file) {
            String boundary = "gridctl-soak-boundary";
            ByteArrayOutputStream body = new ByteArrayOutputStream(file.length + 512);
            fields.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                    + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(file);
            body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            // streamed (chunked), as the tests' uploads are
            byte[] bytes = body.toByteArray();
            return send(kind, HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))));
        }

        /** Sends as this user; a 401 signs in again and sends once more (the retry is timed on its own). */
        private HttpResponse<String> send(String kind, HttpRequest.Builder request) {
            try {
                String used = token(null);
                HttpResponse<String> r = timed(kind, request.copy().header("Authorization", "Bearer " + used));
                if (r != null && r.statusCode() == 401) {
                    r = timed(kind, request.copy().header("Authorization", "Bearer " + token(used)));
                }
                return r;
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String base;
    private final String password;
    private final Latencies latencies;
    private final HttpClient client;

    SoakHttp(String base, String password, Latencies latencies) {
        this.base = base;
        this.password = password;
        this.latencies = latencies;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "soak-http");
                    t.setDaemon(true);
                    return t;
                })).build();
    }

    Session session(String username) {
        return new Session(username);
    }

    /** Sends and times one request: null when the network failed or it timed out (counted as a failure). */
    private HttpResponse<String> timed(String kind, HttpRequest.Builder request) throws InterruptedException {
        long sent = System.nanoTime();
        try {
            HttpResponse<String> r = client.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            latencies.record(kind, sent, r.statusCode() < 400);
            return r;
        } catch (IOException e) {
            latencies.record(kind, sent, false);
            latencies.count(kind + " network failures");
            return null;
        }
    }

    /** The metrics text, unauthenticated from loopback (metrics.loopback); null when it did not answer. */
    String metrics() {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
