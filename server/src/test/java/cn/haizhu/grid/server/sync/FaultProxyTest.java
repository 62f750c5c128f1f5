package cn.haizhu.grid.server.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fault proxy against a real HTTP/1.1 server, called by the JDK client the pullers use. */
@Timeout(60)
class FaultProxyTest {
    private HttpServer upstream;
    private final List<String> seen = new ArrayList<>();
    private final Set<Integer> upstreamPorts = new HashSet<>();
    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        upstream.setExecutor(Executors.newCachedThreadPool());
        upstream.createContext("/", this::answer);
        upstream.start();
        proxy = new FaultProxy("test", upstream.getAddress().getPort(), 42);
    }

    @AfterEach
    void stop() {
        proxy.close();
        upstream.stop(0);
    }

    /** Answers "<method> <path> <body>"; /chunked in chunks, the rest with a Content-Length; /empty with 204. */
    private void answer(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = x.getRequestURI().getPath();
        synchronized (seen) {
            seen.add(x.getRequestMethod() + " " + path + (body.isEmpty() ? "" : " " + body));
            upstreamPorts.add(x.getRemoteAddress().getPort());
        }
        if (path.equals("/empty")) {
            x.sendResponseHeaders(204, -1);
            x.close();
            return;
        }
        byte[] answer = (x.getRequestMethod() + " " + path + " " + body).getBytes(StandardCharsets.UTF_8);
        boolean chunked = path.equals("/chunked");
        x.sendResponseHeaders(200, chunked ? 0 : answer.length);
        try (OutputStream out = x.getResponseBody()) {
            if (chunked) {
                for (byte b : answer) {
                    out.write(b);
                    out.flush();
                }
            } else {
                out.write(answer);
            }
        }
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private HttpResponse<String> send(HttpClient client, String method, String path, String body) throws Exception {
        return client.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String method, String path, String body) {
        return HttpRequest.newBuilder(URI.create(proxy.url() + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private List<String> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    @Test
    void withoutFaultsItPassesEveryMessageOnOneKeptAliveConnection() throws Exception {
        HttpClient client = client();
        assertEquals("GET /a ", send(client, "GET", "/a", null).body());
        assertEquals("POST /b {\"key\":\"sync_x\"}", send(client, "POST", "/b", "{\"key\":\"sync_x\"}").body());
        assertEquals("GET /chunked ", send(client, "GET", "/chunked", null).body());
        assertEquals(204, send(client, "POST", "/empty", null).statusCode());
        assertEquals("GET /a ", send(client, "GET", "/a", null).body());
        assertEquals(List.of("GET /a", "POST /b {\"key\":\"sync_x\"}", "GET /chunked", "POST /empty", "GET /a"), seen());
        assertEquals(1, upstreamPorts.size(), "one connection to the peer for the caller's one connection");
        assertEquals(5, proxy.requests());
    }

    @Test
    void aCutClosesTheConnectionAndTheNextRequestGoesThrough() throws Exception {
        HttpClient client = client();
        for (int i = 0; i < 4; i++) {
            proxy.next(FaultProxy.Fault.CUT);
            assertThrows(IOException.class, () -> send(client, "POST", "/register", "k"));
            assertEquals("POST /after k", send(client, "POST", "/after", "k").body());
        }
        assertEquals(4L, proxy.injected().get(FaultProxy.Fault.CUT));
        assertEquals(4L, seen().stream().filter(s -> s.startsWith("POST /after")).count());
    }

    @Test
    void aCutInTheMiddleOfAnAnswerComesAfterThePeerDidTheWork() throws Exception {
        // of four cuts with this seed, some come before the request reaches the peer and some after
        HttpClient client = client();
        for (int i = 0; i < 4; i++) {
            proxy.next(FaultProxy.Fault.CUT);
            assertThrows(IOException.class, () -> send(client, "POST", "/cut", "k"));
        }
        long reached = seen().stream().filter(s -> s.startsWith("POST /cut")).count();
        assertTrue(reached > 0 && reached < 4, reached + " of 4 cut requests reached the peer");
    }

    @Test
    void aDelayHoldsTheRequestAndTheAnswer() throws Exception {
        proxy.timing(400, 1_000).next(FaultProxy.Fault.DELAY);
        long t0 = System.nanoTime();
        assertEquals("GET /slow ", send(client(), "GET", "/slow", null).body());
        assertTrue((System.nanoTime() - t0) / 1_000_000 >= 400, "two waits of at least half the longest delay");
    }

    @Test
    void aDuplicateReachesThePeerTwiceAndTheCallerOnce() throws Exception {
        proxy.next(FaultProxy.Fault.DUPLICATE);
        HttpResponse<String> r = send(client(), "POST", "/register", "{\"key\":\"sync_y\"}");
        assertEquals(200, r.statusCode());
        long until = System.currentTimeMillis() + 5_000;
        while (seen().size() < 2 && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
        assertEquals(List.of("POST /register {\"key\":\"sync_y\"}", "POST /register {\"key\":\"sync_y\"}"), seen());
    }

    @Test
    void aHeldRequestIsAnsweredAfterALaterOne() throws Exception {
        proxy.timing(0, 10_000).next(FaultProxy.Fault.REORDER);
        CompletableFuture<HttpResponse<String>> first = client().sendAsync(request("GET", "/first", null),
                HttpResponse.BodyHandlers.ofString());
        while (proxy.requests() < 1) {
            Thread.sleep(10);
        }
        HttpResponse<String> later = send(client(), "GET", "/later", null);
        assertEquals("GET /later ", later.body());
        assertEquals("GET /first ", first.get().body());
        assertEquals(List.of("GET /later", "GET /first"), seen(), "the peer got them in the other order");
    }

    @Test
    void aCallerLeftWaitingRetriesAndItsRetryOvertakesTheHeldRequest() throws Exception {
        proxy.timing(0, 300).next(FaultProxy.Fault.REORDER);
        HttpClient client = client();
        assertThrows(IOException.class, () -> send(client, "POST", "/register", "key-1"));
        assertTrue(seen().isEmpty(), "held");
        assertEquals("POST /register key-2", send(client, "POST", "/register", "key-2").body());
        long until = System.currentTimeMillis() + 5_000;
        while (seen().size() < 2 && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
        assertEquals(List.of("POST /register key-2", "POST /register key-1"), seen(), "the retry first, the original after it");
    }

    @Test
    void aPartitionRefusesEveryConnectionUntilItIsLifted() throws Exception {
        proxy.partition(true);
        assertThrows(IOException.class, () -> send(client(), "GET", "/down", null));
        proxy.partition(false);
        assertEquals("GET /up ", send(client(), "GET", "/up", null).body());
        assertEquals(List.of("GET /up"), seen());
    }

    @Test
    void theSameSeedGivesASequentialCallerTheSameFaults() throws Exception {
        List<Map<FaultProxy.Fault, Long>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (FaultProxy p = new FaultProxy("seeded", upstream.getAddress().getPort(), 7)) {
                p.timing(2, 0).rates(Map.of(FaultProxy.Fault.DELAY, 0.5));
                HttpClient client = client();
                for (int i = 0; i < 20; i++) {
                    client.send(HttpRequest.newBuilder(URI.create(p.url() + "/r" + i)).build(), HttpResponse.BodyHandlers.discarding());
                }
                runs.add(p.injected());
            }
        }
        assertEquals(runs.get(0), runs.get(1));
        long delays = runs.get(0).get(FaultProxy.Fault.DELAY);
        assertTrue(delays > 0 && delays < 20, delays + " delays of 20 at a rate of one half");
        assertFalse(runs.get(0).get(FaultProxy.Fault.CUT) > 0);
    }
}
