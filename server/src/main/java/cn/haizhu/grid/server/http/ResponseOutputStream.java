package cn.haizhu.grid.server.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A chunked HTTP response as an OutputStream, for a blocking producer on a worker thread (a COPY
 * streamed to a peer): bytes are gathered into chunks of {@value #CHUNK} bytes, and each chunk waits
 * until the one before it has been handed to the connection, so a slow reader holds the producer back
 * instead of filling the heap.
 */
public final class ResponseOutputStream extends OutputStream {
    static final int CHUNK = 256 << 10;
    private static final long STALL_SECONDS = 120;

    private final HttpServerResponse response;
    private byte[] buf = new byte[CHUNK];
    private int len;
    private io.vertx.core.Future<Void> last;

    public ResponseOutputStream(HttpServerResponse response) {
        this.response = response;
    }

    @Override
    public void write(int b) throws IOException {
        if (len == buf.length) {
            flush();
        }
        buf[len++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int n) throws IOException {
        while (n > 0) {
            if (len == buf.length) {
                flush();
            }
            int k = Math.min(n, buf.length - len);
            System.arraycopy(b, off, buf, len, k);
            len += k;
            off += k;
            n -= k;
        }
    }

    /** Hands the gathered bytes to the connection, after waiting for the chunk before. */
    @Override
    public void flush() throws IOException {
        if (len == 0) {
            return;
        }
        awaitLast();
        last = response.write(Buffer.buffer(java.util.Arrays.copyOf(buf, len)));
        len = 0;
    }

    private void awaitLast() throws IOException {
        if (last == null) {
            return;
        }
        try {
            last.toCompletionStage().toCompletableFuture().get(STALL_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the peer was reading", e);
        } catch (ExecutionException e) {
            throw new IOException("the peer stopped reading: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the peer read nothing for " + STALL_SECONDS + " s", e);
        }
    }

    /** Flushes what is left and waits until it is handed over; the caller then ends the response. */
    @Override
    public void close() throws IOException {
        flush();
        awaitLast();
    }
}
