package cn.haizhu.grid.data.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * WAL segment files as PostgreSQL names them ({@code TTTTTTTTXXXXXXXXYYYYYYYY}: timeline, then the
 * segment number split in two), and the check of an archived one: it unpacks whole, to exactly one
 * segment, and its first page says it belongs to this cluster (system identifier), has this segment
 * size and sits at the address its name gives. That is what lets a restore replay it.
 */
final class WalSegments {
    private WalSegments() {
    }

    /** A segment: its timeline and its number (position in the WAL divided by the segment size). */
    record Segment(long timeline, long number) implements Comparable<Segment> {
        String name(long segmentSize) {
            long perId = 0x1_0000_0000L / segmentSize;
            return String.format("%08X%08X%08X", timeline, number / perId, number % perId);
        }

        @Override
        public int compareTo(Segment o) {
            int byTimeline = Long.compare(timeline, o.timeline);
            return byTimeline != 0 ? byTimeline : Long.compare(number, o.number);
        }
    }

    /** The segment a file name stands for, or empty for other files (history, backup labels, partial copies). */
    static Optional<Segment> parse(String fileName, long segmentSize) {
        String name = fileName.endsWith(".gz") ? fileName.substring(0, fileName.length() - 3) : fileName;
        if (!name.matches("[0-9A-F]{24}")) {
            return Optional.empty();
        }
        long timeline = Long.parseLong(name.substring(0, 8), 16);
        long id = Long.parseLong(name.substring(8, 16), 16);
        long seg = Long.parseLong(name.substring(16, 24), 16);
        return Optional.of(new Segment(timeline, id * (0x1_0000_0000L / segmentSize) + seg));
    }

    /** The segment holding {@code lsn} ("0/3000028") on {@code timeline}. */
    static Segment of(long timeline, String lsn, long segmentSize) {
        String[] parts = lsn.split("/");
        long position = (Long.parseLong(parts[0], 16) << 32) | Long.parseLong(parts[1], 16);
        return new Segment(timeline, position / segmentSize);
    }

    /**
     * Checks the archived (gzip) segment {@code file}: returns null when it is sound, else what is
     * wrong with it.
     */
    static String problem(Path file, Segment segment, long segmentSize, String systemId) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            byte[] head = in.readNBytes(40);
            long total = head.length;
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
            }
            if (total != segmentSize) {
                return "holds " + total + " bytes, not one segment of " + segmentSize;
            }
            // XLogLongPageHeaderData: magic, info, timeline, page address, remaining length, padding,
            // then the system identifier, the segment size and the page size (little-endian on this machine)
            ByteBuffer page = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
            long address = page.getLong(8);
            String sysid = Long.toUnsignedString(page.getLong(24));
            int size = page.getInt(32);
            if (!sysid.equals(systemId)) {
                return "belongs to another cluster (system identifier " + sysid + ", the base's is " + systemId + ")";
            }
            if (size != segmentSize || address != segment.number() * segmentSize) {
                return "is not the segment its name says (page address " + HexFormat.of().toHexDigits(address) + ")";
            }
            return null;
        } catch (IOException e) {
            return "cannot be unpacked: " + e.getMessage();
        }
    }
}
