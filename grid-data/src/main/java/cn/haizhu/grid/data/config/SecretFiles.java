package cn.haizhu.grid.data.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Secrets kept on disk (the personal-data key, the embedded cluster's password, the demo password).
 * A secret file is born owner-only: it is written under a temporary name created with mode 0600 and
 * moved into place, so there is no moment at which another user could open it (writing first and
 * chmod'ing after leaves that moment). Its folder is created 0700.
 */
public final class SecretFiles {
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private SecretFiles() {
    }

    /** Writes {@code value} and a newline to {@code file}, owner-only from its first byte. */
    public static void write(Path file, String value) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        ownerOnlyFolder(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", OWNER_ONLY_FILE);
        try {
            Files.writeString(tmp, value + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The secret in {@code file} (trimmed), made by {@code generate} and written first if the file is missing. */
    public static String readOrCreate(Path file, Supplier<String> generate) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            write(file, generate.get());
        }
        return read(file);
    }

    /** The secret in {@code file}, trimmed; refuses a symbolic link (someone else may have planted it). */
    public static String read(Path file) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw new IOException(file + " is a symbolic link; a secret must be a plain file of its own");
        }
        return Files.readString(file, StandardCharsets.UTF_8).trim();
    }

    /** Creates {@code dir} (and missing parents) with the last level 0700. */
    public static void ownerOnlyFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, OWNER_ONLY_DIR);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // made meanwhile by another process of ours; checked below like any existing folder
            }
        }
        if (Files.isSymbolicLink(dir)) {
            throw new IOException(dir + " is a symbolic link; secrets are kept only in a real folder");
        }
    }
}
