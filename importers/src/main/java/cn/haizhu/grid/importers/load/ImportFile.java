package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.importers.source.RecordSource;
import cn.haizhu.grid.importers.source.RecordSources;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The file of one import, read from its start once where its format allows. Its first bytes tell the
 * format; a CSV reads on from them (its encoding sniffed from the same read), and its SHA-256, which the
 * job records, is taken from the bytes as the reader reads them. Formats read their own way (random
 * access, a first pass of their own, an archive) are hashed here, before they open. A two-pass load reads
 * the file a second time ({@link #reopen}).
 */
final class ImportFile implements AutoCloseable {
    private final Path path;
    private final RecordSources.Options options;
    private final long bytes;
    private final FileChannel channel;
    private final MessageDigest digest;
    private final PushbackInputStream fromStart;
    private final boolean streamed;
    private boolean atEnd;
    private String sha256;

    private ImportFile(Path path, RecordSources.Options options) throws IOException {
        this.path = path;
        this.options = options;
        this.bytes = Files.size(path);
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        this.fromStart = new PushbackInputStream(new Digested(), 16);
        try {
            byte[] head = fromStart.readNBytes(16);
            fromStart.unread(head);
            this.streamed = RecordSources.readsInOneStream(path, head);
            if (!streamed) {
                sha256 = sha256();
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The request's file, its first bytes read; a file that is not a regular file is refused by the caller. */
    static ImportFile of(ImportRequest req) throws IOException {
        return new ImportFile(req.file(), new RecordSources.Options(req.encoding(), req.sheetOrLayer()));
    }

    long bytes() {
        return bytes;
    }

    /** The format as the job records it: the file's extension. */
    String format() {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "unknown" : name.substring(dot + 1);
    }

    /** The file's records: the first read. */
    RecordSource records() throws IOException {
        return streamed ? RecordSources.open(path, fromStart, options) : RecordSources.open(path, options);
    }

    /** The file's records again, for a second pass. */
    RecordSource reopen() throws IOException {
        return RecordSources.open(path, options);
    }

    /** The SHA-256 once the reader has read the whole file (or it was hashed before it opened), else null. */
    String sha256IfRead() throws IOException {
        return atEnd ? sha256() : sha256;
    }

    /**
     * The SHA-256 of the whole file: whatever the reader has not read (it stopped early, or never
     * started) is read here. Only once the reader is done with the file.
     */
    String sha256() throws IOException {
        if (sha256 == null) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            while (channel.read(buf.clear()) >= 0) {
                digest.update(buf.flip());
            }
            sha256 = HexFormat.of().formatHex(digest.digest());
        }
        return sha256;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** The file's bytes in order, each through the digest on its way to the reader. */
    private final class Digested extends InputStream {
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, len));
            if (n < 0) {
                atEnd = true;
                return -1;
            }
            digest.update(b, off, n);
            return n;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        /** The channel stays open until the job has its hash ({@link ImportFile#close}). */
        @Override
        public void close() {
        }
    }
}
