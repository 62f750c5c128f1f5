package cn.haizhu.grid.server;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

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
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
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
}
