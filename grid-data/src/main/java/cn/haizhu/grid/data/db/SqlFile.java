package cn.haizhu.grid.data.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Queries kept as {@code .sql} files next to the class that runs them (in its package folder under
 * resources), read once when the class loads. SQL stays SQL: a reviewer reads it whole, an editor
 * colours it, and no Java string is ever spliced into it (values are always parameters).
 */
public final class SqlFile {
    private SqlFile() {
    }

    /** The text of {@code <name>.sql} beside {@code owner}; a missing file stops the start, not a request. */
    public static String load(Class<?> owner, String name) {
        String file = name + ".sql";
        try (InputStream in = owner.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("query " + owner.getPackageName().replace('.', '/') + "/" + file
                        + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
