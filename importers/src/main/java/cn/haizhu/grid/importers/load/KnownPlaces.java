package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.db.SqlFile;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The house codes the database knows and their places ({@link Placement#HOUSE_CODE}), in memory for a
 * one-pass first load of persons: each known code's index into {@code values}, the few thousand distinct
 * places (grid, community, street). The 916,978 demo houses take 42 MB and 1.2-2.0 s to read.
 */
record KnownPlaces(CodeIndex index, List<String[]> values) {
    private static final Logger LOG = LoggerFactory.getLogger(KnownPlaces.class);
    private static final String HOUSE_PLACES = SqlFile.load(KnownPlaces.class, "house_places").strip();

    /**
     * The known codes and their places, or null when there are more than {@code max} of them. Read by a
     * binary COPY and parsed as bytes: through a result set, decoding four strings a row, the 916,978 demo
     * houses took 2.0 s.
     */
    static KnownPlaces read(Statement s, int max) throws SQLException, IOException {
        long t0 = System.nanoTime();
        int width = Placement.HOUSE_CODE.placedColumns().size();
        long known;
        try (ResultSet rs = s.executeQuery(LoadSql.countOf(HOUSE_PLACES))) {
            rs.next();
            known = rs.getLong(1);
        }
        if (known > max) {
            return null;
        }
        CodeIndex index = new CodeIndex((int) known);
        List<String[]> distinct = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        byte[][] fields = new byte[1 + width][64];
        int[] lengths = new int[1 + width];
        byte[][] last = new byte[width][];   // the previous row's place: rows of one place mostly come together
        int lastAt = -1;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new PGCopyInputStream(
                s.getConnection().unwrap(PGConnection.class), LoadSql.copyOut(HOUSE_PLACES)), 1 << 16))) {
            in.skipNBytes(11 + 4);                  // signature, flags
            in.skipNBytes(in.readInt());            // header extension
            while (true) {
                short n = in.readShort();
                if (n == -1) {
                    break;                          // trailer
                }
                if (n != 1 + width) {
                    throw new IOException("expected " + (1 + width) + " columns from the place lookup, got " + n);
                }
                for (int i = 0; i < n; i++) {
                    int len = in.readInt();
                    if (len < 0) {
                        throw new IOException("the place lookup returned a null in column " + (i + 1));
                    }
                    if (len > fields[i].length) {
                        fields[i] = new byte[len];
                    }
                    in.readFully(fields[i], 0, len);
                    lengths[i] = len;
                }
                if (lastAt < 0 || !samePlace(last, fields, lengths)) {
                    String[] values = new String[width];
                    for (int i = 0; i < width; i++) {
                        values[i] = new String(fields[1 + i], 0, lengths[1 + i], StandardCharsets.UTF_8);
                        last[i] = Arrays.copyOf(fields[1 + i], lengths[1 + i]);
                    }
                    String key = String.join("\u0001", values);
                    Integer at = seen.get(key);
                    if (at == null) {
                        at = distinct.size();
                        distinct.add(values);
                        seen.put(key, at);
                    }
                    lastAt = at;
                }
                index.put(fields[0], 0, lengths[0], lastAt);
            }
        }
        LOG.info("{} known codes in {} places, read in {} ms", index.size(), distinct.size(), Load.ms(System.nanoTime() - t0));
        return new KnownPlaces(index, distinct);
    }

    private static boolean samePlace(byte[][] last, byte[][] fields, int[] lengths) {
        for (int i = 0; i < last.length; i++) {
            if (!Arrays.equals(last[i], 0, last[i].length, fields[1 + i], 0, lengths[1 + i])) {
                return false;
            }
        }
        return true;
    }
}
