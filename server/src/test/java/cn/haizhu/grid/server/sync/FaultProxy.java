package cn.haizhu.grid.server.sync;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP/1.1 proxy on loopback that one node calls instead of its peer (the peer's URL in the
 * node's configuration points here), forwarding to the peer and breaking the link on purpose:
 *
 * <ul>
 *   <li>{@link Fault#CUT}: the connection is closed, either before the request reaches the peer or
 *       after the peer answered, in the middle of the answer (the peer did the work, the caller
 *       never learns it);</li>
 *   <li>{@link Fault#DELAY}: the request waits before it goes, the answer before it comes back;</li>
 *   <li>{@link Fault#DUPLICATE}: the request goes to the peer twice, at once, on two connections;
 *       the caller gets the answer that comes first (GETs of the feed and POSTs alike);</li>
 *   <li>{@link Fault#REORDER}: the request is held, and goes to the peer only after a later request
 *       has been answered; its answer then follows the later one. A caller that sends one request at
 *       a time (a puller) is left waiting {@code maxHold}, then its connection is closed, so that its
 *       retry is the later request: the peer sees the retry first and the original after it, as from
 *       a gateway that delivered a delayed copy.</li>
 * </ul>
 *
 * <p>Faults come on command ({@link #next}, {@link #cutAll}, {@link #partition}) or at random
 * ({@link #rates}) from a seeded {@link Random}: the same seed gives a sequential caller the same
 * faults. Each caller's connection gets its own connection to the peer (keep-alive on both sides);
 * messages are framed by Content-Length or chunked encoding, or run to the end of the connection.
 */
final class FaultProxy implements Closeable {
    enum Fault { CUT, DELAY, DUPLICATE, REORDER }

    private final String name;
    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Random random;
    private final ExecutorService threads;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedDeque<Command> commanded = new ConcurrentLinkedDeque<>();
    private final Map<Fault, AtomicLong> injected = new EnumMap<>(Fault.class);
    private final AtomicLong requests = new AtomicLong();
    private final Object holding = new Object();
    private volatile Map<Fault, Double> rates = Map.of();
    private volatile boolean partitioned;
    private volatile boolean closed;
    private volatile long maxDelayMillis = 1_500;
    private volatile long maxHoldMillis = 1_000;
    private Held held;

    /** A proxy on a free loopback port that forwards to {@code targetPort} on loopback. */
    FaultProxy(String name, int targetPort, long seed) throws IOException {
        this.name = name;
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.random = new Random(seed);
        for (Fault f : Fault.values()) {
            injected.put(f, new AtomicLong());
        }
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fault-proxy-" + name);
            t.setDaemon(true);
            return t;
        });
        threads.execute(this::accept);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    int port() {
        return server.getLocalPort();
    }

    String name() {
        return name;
    }

    /** Each request gets each fault with its probability (checked in the order of {@link Fault}); empty: none. */
    FaultProxy rates(Map<Fault, Double> rates) {
        this.rates = Map.copyOf(rates);
        return this;
    }

    /** The longest delay of {@link Fault#DELAY}, and how long {@link Fault#REORDER} waits for a later request. */
    FaultProxy timing(long maxDelayMillis, long maxHoldMillis) {
        this.maxDelayMillis = maxDelayMillis;
        this.maxHoldMillis = maxHoldMillis;
        return this;
    }

    /** The next request gets {@code fault}, whatever the rates. */
    FaultProxy next(Fault fault) {
        return next(fault, "");
    }

    /** The next request whose request line holds {@code target} ("POST /api/v1/sync/register") gets {@code fault}. */
    FaultProxy next(Fault fault, String target) {
        commanded.add(new Command(fault, target));
        return this;
    }

    private record Command(Fault fault, String target) {
    }

    /** While on, every connection is closed as soon as it opens: the link is down. */
    FaultProxy partition(boolean on) {
        partitioned = on;
        if (on) {
            cutAll();
        }
        return this;
    }

    /** Closes every connection open now, both sides (a long-poll in flight included). */
    void cutAll() {
        injected.get(Fault.CUT).incrementAndGet();
        for (Socket s : List.copyOf(open)) {
            quietly(s);
        }
    }

    /** No more faults: rates off, commands dropped, a held request let go, the link up. */
    void quiet() {
        rates = Map.of();
        commanded.clear();
        partitioned = false;
        release(null);
    }

    long requests() {
        return requests.get();
    }

    /** How many of each fault were injected. */
    Map<Fault, Long> injected() {
        Map<Fault, Long> out = new EnumMap<>(Fault.class);
        injected.forEach((f, n) -> out.put(f, n.get()));
        return out;
    }

    @Override
    public void close() {
        closed = true;
        quietly(server);
        quiet();
        for (Socket s : List.copyOf(open)) {
            quietly(s);
        }
        threads.shutdownNow();
    }

    // ── the connections ──

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;   // closed
            }
            if (partitioned) {
                quietly(client);
                continue;
            }
            open.add(client);
            threads.execute(() -> serve(client));
        }
    }

    /** One caller's connection, request after request, over one connection to the peer. */
    private void serve(Socket client) {
        Peer peer = null;
        try (client) {
            client.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            while (!closed) {
                Message request = Message.read(in, null);
                if (request == null) {
                    return;   // the caller closed it
                }
                requests.incrementAndGet();
                Fault fault = decide(request.startLine());
                if (fault != null) {
                    injected.get(fault).incrementAndGet();
                }
                if (fault == Fault.REORDER && !hold(request, client, out)) {
                    return;   // the caller's connection was closed; the held request went after a later one
                }
                if (fault == Fault.REORDER) {
                    continue;   // answered after a later one
                }
                if (fault == Fault.CUT && random(2) == 0) {
                    return;   // closed before the request reached the peer
                }
                if (fault == Fault.DELAY) {
                    Thread.sleep(delay());
                }
                Message response;
                if (fault == Fault.DUPLICATE) {
                    response = twice(request);
                } else {
                    if (peer == null || peer.socket.isClosed()) {
                        peer = Peer.open(target, open);
                    }
                    response = peer.exchange(request);
                }
                if (fault == Fault.DELAY) {
                    Thread.sleep(delay());
                }
                if (fault == Fault.CUT) {
                    // the peer did the work; the caller gets part of the answer, then the connection closes
                    byte[] all = response.bytes();
                    out.write(all, 0, Math.max(1, (int) random(all.length)));
                    out.flush();
                    return;
                }
                out.write(response.bytes());
                out.flush();
                release(Thread.currentThread());
                if (response.lastOnConnection()) {
                    return;
                }
            }
        } catch (IOException e) {
            // a side closed the connection (a cut, a node killed): the caller sees it and retries
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(client);
            if (peer != null) {
                peer.close();
            }
        }
    }

    private Fault decide(String requestLine) {
        for (Command c : commanded) {
            if (requestLine.contains(c.target()) && commanded.remove(c)) {
                return c.fault();
            }
        }
        Map<Fault, Double> r = rates;
        if (r.isEmpty()) {
            return null;
        }
        synchronized (random) {
            for (Fault f : Fault.values()) {
                if (random.nextDouble() < r.getOrDefault(f, 0.0)) {
                    return f;
                }
            }
        }
        return null;
    }

    private long random(long bound) {
        synchronized (random) {
            return bound <= 0 ? 0 : (long) (random.nextDouble() * bound);
        }
    }

    /** One wait of a delay: between half the longest and the longest. */
    private long delay() {
        long max = maxDelayMillis;
        return max / 2 + random(max - max / 2);
    }

    /** The request sent twice at once on two fresh connections; the answer that comes first. */
    private Message twice(Message request) throws IOException, InterruptedException {
        java.util.concurrent.BlockingQueue<Object> answers = new java.util.concurrent.LinkedBlockingQueue<>();
        for (int i = 0; i < 2; i++) {
            threads.execute(() -> {
                try (Peer p = Peer.open(target, open)) {
                    answers.add(p.exchange(request));
                } catch (IOException e) {
                    answers.add(e);
                }
            });
        }
        Object first = answers.take();
        if (first instanceof Message m) {
            return m;
        }
        Object second = answers.take();
        if (second instanceof Message m) {
            return m;
        }
        throw (IOException) second;
    }

    /** One request held back by {@link Fault#REORDER}. */
    private static final class Held {
        final Thread owner = Thread.currentThread();
        final CountDownLatch released = new CountDownLatch(1);
    }

    /**
     * Holds the request until a later one has been answered, then sends it and answers it. Returns
     * false when the caller's connection was closed meanwhile (no later request came within
     * {@code maxHold}): the request is sent anyway once a later one has been answered, unanswered.
     */
    private boolean hold(Message request, Socket client, OutputStream out) throws IOException, InterruptedException {
        Held h = new Held();
        synchronized (holding) {
            if (held != null) {
                h.released.countDown();   // one held request at a time: this one goes now
            } else {
                held = h;
            }
        }
        boolean answered = h.released.await(maxHoldMillis, TimeUnit.MILLISECONDS);
        if (!answered) {
            quietly(client);   // the caller retries; its retry overtakes this request
            if (!h.released.await(60, TimeUnit.SECONDS)) {
                release(null);
            }
        }
        try (Peer p = Peer.open(target, open)) {
            Message response = p.exchange(request);
            if (answered) {
                out.write(response.bytes());
                out.flush();
            }
        }
        return answered;
    }

    /** A request was answered (by {@code by}; null: let go in any case): the request held before it goes now. */
    private void release(Thread by) {
        Held h;
        synchronized (holding) {
            h = held;
            if (h == null || h.owner == by) {
                return;
            }
            held = null;
        }
        h.released.countDown();
    }

    private static void quietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing what may be closed already
        }
    }

    // ── HTTP/1.1 framing ──

    /** A connection to the peer. */
    private record Peer(Socket socket, InputStream in, OutputStream out, Set<Socket> open) implements Closeable {
        static Peer open(InetSocketAddress target, Set<Socket> open) throws IOException {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(target, 5_000);
            open.add(s);
            return new Peer(s, new BufferedInputStream(s.getInputStream()), s.getOutputStream(), open);
        }

        /** Sends the request, returns the peer's final answer (interim 1xx answers in front of it). */
        Message exchange(Message request) throws IOException {
            out.write(request.bytes());
            out.flush();
            Message response = Message.read(in, request);
            if (response == null) {
                throw new EOFException("the peer closed the connection without an answer");
            }
            if (response.lastOnConnection()) {
                close();
            }
            return response;
        }

        @Override
        public void close() {
            open.remove(socket);
            quietly(socket);
        }
    }

    /**
     * One HTTP/1.1 message as it was on the wire: the head (start line and headers) and the body,
     * its framing kept (chunks stay chunks).
     */
    record Message(String startLine, byte[] head, byte[] body, boolean lastOnConnection) {
        byte[] bytes() {
            byte[] all = new byte[head.length + body.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(body, 0, all, head.length, body.length);
            return all;
        }

        String method() {
            return startLine.substring(0, Math.max(0, startLine.indexOf(' ')));
        }

        int status() {
            String[] parts = startLine.split(" ", 3);
            return parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        }

        /**
         * Reads a request ({@code request} null) or the answer to {@code request}; null at the end of
         * the connection before its first byte.
         */
        static Message read(InputStream in, Message request) throws IOException {
            ByteArrayOutputStream interim = new ByteArrayOutputStream();
            while (true) {
                byte[] head = readHead(in);
                if (head == null) {
                    if (interim.size() > 0 || request != null) {
                        throw new EOFException("the connection ended before the answer");
                    }
                    return null;
                }
                String text = new String(head, StandardCharsets.ISO_8859_1);
                String startLine = text.substring(0, text.indexOf("\r\n"));
                Map<String, String> headers = headers(text);
                boolean close = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT).contains("close");
                if (request == null) {
                    byte[] body = body(in, headers, false);
                    return new Message(startLine, head, body, close);
                }
                Message answer = new Message(startLine, head, new byte[0], close);
                int status = answer.status();
                if (status >= 100 && status < 200 && status != 101) {
                    interim.write(head);   // 100 Continue and the like: passed on, the final answer follows
                    continue;
                }
                boolean bodiless = request.method().equals("HEAD") || status == 204 || status == 304;
                boolean toTheEnd = !bodiless && !headers.containsKey("content-length")
                        && !headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked");
                byte[] body = bodiless ? new byte[0] : body(in, headers, toTheEnd);
                interim.write(head);
                return new Message(startLine, interim.toByteArray(), body, close || toTheEnd);
            }
        }

        private static byte[] readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    if (head.size() == 0) {
                        return null;
                    }
                    throw new EOFException("the connection ended inside a message head");
                }
                head.write(b);
                matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                        ? matched + 1 : b == '\r' ? 1 : 0;
                if (head.size() > 65_536) {
                    throw new IOException("a message head over 64 KiB");
                }
            }
            return head.toByteArray();
        }

        private static Map<String, String> headers(String head) {
            Map<String, String> out = new java.util.HashMap<>();
            String[] lines = head.split("\r\n");
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    out.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(),
                            (a, b) -> a + ", " + b);
                }
            }
            return out;
        }

        private static byte[] body(InputStream in, Map<String, String> headers, boolean toTheEnd) throws IOException {
            if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
                return chunked(in);
            }
            if (headers.containsKey("content-length")) {
                return in.readNBytes(exactly(Long.parseLong(headers.get("content-length").split(",")[0].trim())));
            }
            return toTheEnd ? in.readAllBytes() : new byte[0];
        }

        private static int exactly(long n) {
            if (n < 0 || n > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("a body of " + n + " bytes");
            }
            return (int) n;
        }

        /** A chunked body as it was on the wire: sizes, chunks and trailers. */
        private static byte[] chunked(InputStream in) throws IOException {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            while (true) {
                String line = line(in, raw);
                int semicolon = line.indexOf(';');
                long size = Long.parseLong((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
                if (size == 0) {
                    while (!line(in, raw).isEmpty()) {
                        // trailers, passed on
                    }
                    return raw.toByteArray();
                }
                byte[] chunk = in.readNBytes(exactly(size + 2));
                if (chunk.length < size + 2) {
                    throw new EOFException("the connection ended inside a chunk");
                }
                raw.write(chunk);
            }
        }

        private static String line(InputStream in, ByteArrayOutputStream raw) throws IOException {
            List<Byte> bytes = new ArrayList<>();
            int b;
            while ((b = in.read()) >= 0) {
                raw.write(b);
                if (b == '\n') {
                    byte[] text = new byte[bytes.size()];
                    for (int i = 0; i < text.length; i++) {
                        text[i] = bytes.get(i);
                    }
                    return new String(text, StandardCharsets.ISO_8859_1).strip();
                }
                bytes.add((byte) b);
            }
            throw new EOFException("the connection ended inside a chunked body");
        }
    }

    @Override
    public String toString() {
        return name + " " + url() + " → " + target.getPort() + " " + requests() + " requests, faults " + injected();
    }
}
