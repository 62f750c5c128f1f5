package cn.haizhu.grid.server.instances;

import cn.haizhu.grid.server.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** HTTP to one server instance or another: its base URL named on each call, a bearer token, JSON bodies. */
public final class Api {
    public static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Api() {
    }

    /**
     * A request; {@code address} (or null) is the client address the test presents through the trusted
     * proxy header. Throws IOException when the instance is not there (refused, reset, timed out).
     */
    public static HttpResponse<String> send(String baseUrl, String method, String path, String token, JsonObject body, String address)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (address != null) {
            b.header("X-Forwarded-For", address);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The same, for instances that must be there: an IOException fails the test. */
    public static HttpResponse<String> call(String baseUrl, String method, String path, String token, JsonObject body) {
        try {
            return send(baseUrl, method, path, token, body, null);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + baseUrl + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POST /api/v1/auth/token from {@code address} (null: the loopback itself). */
    public static HttpResponse<String> signIn(String baseUrl, String username, String password, String address) {
        try {
            return send(baseUrl, "POST", "/api/v1/auth/token", null,
                    new JsonObject().put("username", username).put("password", password), address);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A bearer token of a demo login, issued by the instance at {@code baseUrl}. */
    public static String token(String baseUrl, String username) {
        HttpResponse<String> r = signIn(baseUrl, username, TestServer.PASSWORD, null);
        if (r.statusCode() != 201) {
            throw new AssertionError("sign-in of " + username + " at " + baseUrl + ": " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body()).getString("token");
    }
}
