package cn.haizhu.grid.importers.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A local work file of a load (row numbers, places, gids), unlinked as soon as it is open: the open
 * channel keeps its bytes until {@link #close}, and an importer killed with SIGKILL leaves nothing
 * in the temp folder (the kernel frees the file with the process). Written once from the start,
 * then read back from the start or at positions.
 */
final class ScratchFile implements AutoCloseable {
    private final FileChannel channel;
    private DataOutputStream writer;

    ScratchFile(String prefix) throws IOException {
        Path path = Files.createTempFile(prefix, ".bin");
        channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        Files.delete(path);
    }

    /** The writer, buffered; the bytes reach the file on {@link #reader()} or {@link #readLong(long)}. */
    DataOutputStream writer() {
        if (writer == null) {
            writer = new DataOutputStream(new BufferedOutputStream(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                    while (buf.hasRemaining()) {
                        channel.write(buf);
                    }
                }
            }, 1 << 16));
        }
        return writer;
    }

    /** Everything written, from the start (closing the reader leaves the file open). */
    DataInputStream reader() throws IOException {
        flush();
        return new DataInputStream(new BufferedInputStream(new InputStream() {
            private long position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = channel.read(ByteBuffer.wrap(b, off, len), position);
                if (n > 0) {
                    position += n;
                }
                return n;
            }
        }, 1 << 16));
    }

    /** The long at byte {@code offset}. */
    long readLong(long offset) throws IOException {
        flush();
        ByteBuffer b = ByteBuffer.allocate(8);
        while (b.hasRemaining()) {
            if (channel.read(b, offset + b.position()) < 0) {
                throw new IOException("work file ends before byte " + (offset + 8));
            }
        }
        return b.flip().getLong();
    }

    private void flush() throws IOException {
        if (writer != null) {
            writer.flush();
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
