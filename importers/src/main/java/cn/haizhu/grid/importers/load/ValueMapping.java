package cn.haizhu.grid.importers.load;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The officer's translations of a file's words before the rows are checked: {@code --map-values
 * use=商住:住宅} on the shell, the same text on the import page. Each entry names a field and, after
 * "=", one or more {@code from:to} pairs separated by commas ({@code use=商住:住宅,车棚:其他}); an entry
 * may repeat, a later pair for the same word wins. A value the mapping does not name is read as written.
 *
 * @param byField field → (value as written in the file → value to check instead)
 */
public record ValueMapping(Map<String, Map<String, String>> byField) {
    public static final ValueMapping NONE = new ValueMapping(Map.of());

    public ValueMapping {
        // in the officer's order, as the job's options record it
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        byField.forEach((field, pairs) -> copy.put(field, Collections.unmodifiableMap(new LinkedHashMap<>(pairs))));
        byField = Collections.unmodifiableMap(copy);
    }

    /**
     * Reads entries such as {@code use=商住:住宅,商铺:商业金融信息}.
     *
     * @throws IllegalArgumentException naming the entry that is not of that form
     */
    public static ValueMapping parse(List<String> entries) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (String entry : entries) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            for (String line : entry.split("[\\r\\n;；]+")) {
                if (line.isBlank()) {
                    continue;
                }
                int eq = line.indexOf('=');
                String field = eq < 0 ? "" : line.substring(0, eq).strip();
                if (field.isEmpty()) {
                    throw new IllegalArgumentException("--map-values takes field=from:to[,from:to…], e.g. use=商住:住宅; got '"
                            + line.strip() + "'");
                }
                Map<String, String> pairs = out.computeIfAbsent(field, f -> new LinkedHashMap<>());
                for (String pair : line.substring(eq + 1).split("[,，]")) {
                    int colon = pair.replace('：', ':').indexOf(':');
                    String from = colon < 0 ? "" : pair.substring(0, colon).strip();
                    String to = colon < 0 ? "" : pair.substring(colon + 1).strip();
                    if (from.isEmpty() || to.isEmpty()) {
                        throw new IllegalArgumentException("--map-values " + field + ": each pair is from:to, e.g. 商住:住宅; got '"
                                + pair.strip() + "'");
                    }
                    pairs.put(from, to);
                }
            }
        }
        return new ValueMapping(out);
    }

    public boolean isEmpty() {
        return byField.isEmpty();
    }

    /** The mapping as the job's options record it: {"use":{"商住":"住宅"}}. */
    String json() {
        StringBuilder sb = new StringBuilder("{");
        byField.forEach((field, pairs) -> {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(quoted(field)).append(":{");
            int n = 0;
            for (var p : pairs.entrySet()) {
                sb.append(n++ > 0 ? "," : "").append(quoted(p.getKey())).append(':').append(quoted(p.getValue()));
            }
            sb.append('}');
        });
        return sb.append('}').toString();
    }

    private static String quoted(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
