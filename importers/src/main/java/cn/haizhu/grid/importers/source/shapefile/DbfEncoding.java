package cn.haizhu.grid.importers.source.shapefile;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Decides which charset decodes the text of a shapefile's .dbf. First match wins:
 * <ol>
 *   <li>the charset the officer passed explicitly;</li>
 *   <li>the .cpg file, when it names a charset we know ("UTF-8", "65001", "GBK", "936", "CP936",
 *       "GB2312", "GB18030", "ANSI 936", "Big5", "950", "1252", "ISO-8859-1", "88591" …); an unknown
 *       name is ignored rather than failing the import;</li>
 *   <li>the language driver id (LDID, byte 29 of the .dbf header) when it names a code page:
 *       0x4D (936) and 0x7A (936) → GBK, 0x4F/0x78 → Big5, 0x13/0x7B → Shift_JIS, 0x4E/0x79 → Korean,
 *       0x01 → 437, 0x02 → 850, 0x03 → 1252, 0xC8 → 1250, 0xC9 → 1251 … 0x00 (unspecified) and
 *       0x57 ("ANSI", i.e. whatever the writer's Windows used) say nothing and fall through;</li>
 *   <li>otherwise the bytes decide: the character fields of up to the first {@value #SNIFF_BYTES}
 *       bytes of records are checked. If they contain non-ASCII bytes that all form valid UTF-8,
 *       the file is UTF-8; in every other case (invalid UTF-8, or pure ASCII) it is GBK, the
 *       default for Chinese sources.</li>
 * </ol>
 *
 * <p>Why "UTF-8 if it decodes cleanly" rather than "GBK unless GBK fails": GBK accepts most byte
 * sequences that UTF-8 Chinese produces (so it would rarely report failure and silently produce
 * mojibake), whereas real GBK text almost never happens to be valid UTF-8. Checking UTF-8 is
 * therefore the reliable way to implement "default GBK when UTF-8 fails".
 *
 * <p>GBK, CP936 and GB2312 are decoded with GB18030, Java's superset of them, so that characters
 * outside GB2312 (rare surnames, 𬌗 …) written by newer tools survive.
 */
final class DbfEncoding {
    /** How much of the record area the sniffer reads: enough to see many rows, cheap on huge files. */
    static final int SNIFF_BYTES = 4 << 20;

    static final Charset CHINESE = Charset.forName("GB18030");

    /** What the decision was based on, for messages and tests. */
    enum Basis { EXPLICIT, CPG, LDID, CONTENT }

    record Decision(Charset charset, Basis basis) {
    }

    private DbfEncoding() {
    }

    static Decision decide(Charset explicit, Path cpgOrNull, Path dbf) throws IOException {
        if (explicit != null) {
            return new Decision(explicit, Basis.EXPLICIT);
        }
        if (cpgOrNull != null && Files.isRegularFile(cpgOrNull)) {
            Charset c = fromCpg(ShapefileSource.readSideText(cpgOrNull, StandardCharsets.ISO_8859_1));
            if (c != null) {
                return new Decision(c, Basis.CPG);
            }
        }
        DbfHeader h = DbfHeader.read(dbf);
        Charset byLdid = fromLdid(h.ldid());
        if (byLdid != null) {
            return new Decision(byLdid, Basis.LDID);
        }
        return new Decision(sniff(dbf, h), Basis.CONTENT);
    }

    /** Maps the content of a .cpg file to a charset, or null when it is empty or unknown. */
    static Charset fromCpg(String text) {
        String s = text.replace("\uFEFF", "").replace("ï»¿", "").trim().toUpperCase(Locale.ROOT);
        if (s.isEmpty()) {
            return null;
        }
        if (s.startsWith("ANSI")) {
            s = s.substring(4).trim();
        }
        if (s.startsWith("CP") && s.length() > 2 && Character.isDigit(s.charAt(2))) {
            s = s.substring(2);
        }
        switch (s) {
            case "UTF-8", "UTF8", "65001":
                return StandardCharsets.UTF_8;
            case "GBK", "936", "GB2312", "20936", "GB18030", "54936", "EUC-CN", "X-EUC-CN":
                return CHINESE;
            case "BIG5", "950":
                return charset("Big5");
            case "88591", "28591", "ISO-8859-1", "ISO8859-1", "LATIN1":
                return StandardCharsets.ISO_8859_1;
            default:
                break;
        }
        if (s.chars().allMatch(Character::isDigit)) {
            Charset c = charset("windows-" + s);
            if (c == null) {
                c = charset("x-windows-" + s);
            }
            if (c == null) {
                c = charset("IBM" + s);
            }
            return c;
        }
        return charset(s);
    }

    /** Maps an LDID byte to a charset, or null when it names none (0x00, 0x57 "ANSI", unknown). */
    static Charset fromLdid(int ldid) {
        return switch (ldid) {
            case 0x4D, 0x7A -> CHINESE;
            case 0x4F, 0x78 -> charset("Big5");
            case 0x13, 0x7B -> charset("Shift_JIS");
            case 0x4E, 0x79 -> charset("x-windows-949");
            case 0x01 -> charset("IBM437");
            case 0x02 -> charset("IBM850");
            case 0x03 -> charset("windows-1252");
            case 0xC8 -> charset("windows-1250");
            case 0xC9 -> charset("windows-1251");
            case 0xCA -> charset("windows-1254");
            case 0xCB -> charset("windows-1253");
            default -> null;
        };
    }

    private static Charset charset(String name) {
        try {
            return Charset.forName(name);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** UTF-8 when the character fields hold non-ASCII bytes that are all valid UTF-8, else GBK. */
    static Charset sniff(Path dbf, DbfHeader h) throws IOException {
        if (h.recordLength() <= 1 || h.charFieldOffsets().length == 0) {
            return CHINESE;
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        boolean sawNonAscii = false;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(dbf))) {
            in.skipNBytes(h.headerLength());
            byte[] rec = new byte[h.recordLength()];
            long budget = SNIFF_BYTES;
            for (long r = 0; r < h.recordCount() && budget > 0; r++, budget -= rec.length) {
                if (in.readNBytes(rec, 0, rec.length) < rec.length) {
                    break;
                }
                int[] offs = h.charFieldOffsets();
                int[] lens = h.charFieldLengths();
                for (int f = 0; f < offs.length; f++) {
                    int from = offs[f];
                    int len = Math.min(lens[f], rec.length - from);
                    if (len <= 0 || !hasNonAscii(rec, from, len)) {
                        continue;
                    }
                    sawNonAscii = true;
                    // a field cut in the middle of a UTF-8 sequence by a byte-width limit is still UTF-8
                    int end = trimPartialUtf8(rec, from, from + len);
                    try {
                        utf8.reset().decode(ByteBuffer.wrap(rec, from, end - from));
                    } catch (CharacterCodingException e) {
                        return CHINESE;
                    }
                }
            }
        }
        return sawNonAscii ? StandardCharsets.UTF_8 : CHINESE;
    }

    private static boolean hasNonAscii(byte[] b, int from, int len) {
        for (int i = from; i < from + len; i++) {
            if (b[i] < 0) {
                return true;
            }
        }
        return false;
    }

    /** Drops a trailing incomplete UTF-8 sequence (at most 3 bytes) left by a fixed-width field. */
    private static int trimPartialUtf8(byte[] b, int from, int end) {
        int i = end - 1;
        int back = 0;
        while (i >= from && back < 3 && (b[i] & 0xC0) == 0x80) {
            i--;
            back++;
        }
        if (i < from || (b[i] & 0x80) == 0) {
            return end;
        }
        int lead = b[i] & 0xFF;
        int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return (end - i) < need ? i : end;
    }

    /** The parts of a dBASE header needed to choose a charset and to check counts. */
    record DbfHeader(int ldid, long recordCount, int headerLength, int recordLength, int fieldCount,
                     int[] charFieldOffsets, int[] charFieldLengths) {

        static DbfHeader read(Path dbf) throws IOException {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(dbf))) {
                byte[] head = in.readNBytes(32);
                if (head.length < 32) {
                    throw new IOException(dbf.getFileName() + " is not a dBASE file: shorter than its 32-byte header");
                }
                ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
                long count = b.getInt(4) & 0xFFFFFFFFL;
                int headerLength = b.getShort(8) & 0xFFFF;
                int recordLength = b.getShort(10) & 0xFFFF;
                int ldid = head[29] & 0xFF;
                int fieldBytes = Math.max(0, headerLength - 33);
                byte[] fields = in.readNBytes(fieldBytes);
                int n = fields.length / 32;
                int[] offs = new int[n];
                int[] lens = new int[n];
                int k = 0;
                int fieldCount = 0;
                int pos = 1; // byte 0 of every record is the deletion flag
                for (int i = 0; i < n; i++) {
                    int d = i * 32;
                    if (fields[d] == 0x0D) {
                        break;
                    }
                    fieldCount++;
                    char type = (char) (fields[d + 11] & 0xFF);
                    int len = fields[d + 16] & 0xFF;
                    if (type == 'C') {
                        // dBASE stores long character fields with the decimal byte as a high length byte
                        len |= (fields[d + 17] & 0xFF) << 8;
                        offs[k] = pos;
                        lens[k] = len;
                        k++;
                    }
                    pos += len;
                }
                return new DbfHeader(ldid, count, headerLength, recordLength, fieldCount,
                        java.util.Arrays.copyOf(offs, k), java.util.Arrays.copyOf(lens, k));
            }
        }
    }
}
