package cn.haizhu.grid.importers.source.shapefile;

import cn.haizhu.grid.importers.source.ArchiveRefused;
import cn.haizhu.grid.importers.source.ZipArchives;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Extracts the one shapefile of a .zip into a fresh temporary folder, within limits that a real
 * shapefile keeps and a zip bomb does not.
 *
 * <p><b>Limits.</b> The largest layer officers send is the district's houses: ~917,000 points, about
 * 26 MB of .shp, 7 MB of .shx and 250-400 MB of .dbf. ESRI caps each .shp and .dbf at 2 GB (their
 * offsets are 32-bit). So:
 * <ul>
 *   <li>at most {@value #MAX_ENTRIES} entries in the archive (a shapefile is 3-7 files; a folder of
 *       layers a few dozen);</li>
 *   <li>at most {@link #MAX_EXPANDED_BYTES} (2 GiB) extracted in all, and so for any one .shp, .shx or
 *       .dbf, the format's own limit: five times the largest real layer;</li>
 *   <li>at most {@link #MAX_TEXT_BYTES} (64 KiB) for a .prj or .cpg, which are read into memory whole
 *       and hold one line of text.</li>
 * </ul>
 * The bytes counted are the bytes actually inflated, never the sizes the entry headers claim. The
 * compression ratio is not capped: a .dbf is fixed-width records padded with blanks, and real ones
 * compress 50 to several hundred times (a deflate bomb reaches ~1000); the absolute caps above
 * already bound what a bomb can cost, 2 GiB of temporary disk for a moment.
 *
 * <p><b>Refused outright</b> ({@link ArchiveRefused}, before anything is extracted): more entries
 * than allowed; an archive inside the archive ({@value #NESTED_ARCHIVES_TEXT}), which would be a
 * way round the limits; an entry name that is absolute ({@code /x}, {@code \x}, {@code C:x}), has a
 * {@code ..} segment (with / or \ as separator), or holds NUL or another control character. The
 * files are written under names of our own (base name + extension), never the entry's path, so
 * nothing could leave the temporary folder anyway; a name like that marks a crafted archive.
 *
 * <p><b>Cleanup.</b> Whatever goes wrong while extracting, including an {@link Error}, the temporary
 * folder is deleted before the exception leaves; on success the caller owns it.
 */
final class ShapefileZip {
    static final int MAX_ENTRIES = 1000;
    static final long MAX_EXPANDED_BYTES = 2L << 30;
    static final long MAX_TEXT_BYTES = 64 << 10;
    static final Limits LIMITS = new Limits(MAX_ENTRIES, MAX_EXPANDED_BYTES, MAX_TEXT_BYTES);
    static final String NESTED_ARCHIVES_TEXT = ".zip .7z .rar .gz .tgz .tar .bz2 .xz .zst .z .lz .lzma .cab .arj .jar";
    private static final Set<String> NESTED_ARCHIVES = Set.of(NESTED_ARCHIVES_TEXT.replace(".", "").split(" "));
    private static final Set<String> SIDE_FILES = Set.of("shp", "shx", "dbf", "prj", "cpg");
    private static final Set<String> TEXT_FILES = Set.of("prj", "cpg");
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");

    /** The caps of the class comment; tests pass smaller ones so that a bomb need not really fill 2 GiB. */
    record Limits(int entries, long expandedBytes, long textBytes) {
    }

    /** The extracted shapefile: its .shp, and the folder to delete when done with it. */
    record Extracted(Path shp, Path folder) {
    }

    private ShapefileZip() {
    }

    /** Extracts the shapefile of {@code zip} into a new folder under {@code tempParent} (null: the system's). */
    static Extracted extract(Path zip, Path tempParent, Limits limits) throws IOException {
        Path folder = tempParent == null ? Files.createTempDirectory("haizhu-shp-")
                : Files.createTempDirectory(tempParent, "haizhu-shp-");
        try {
            return new Extracted(extractInto(zip, folder, limits), folder);
        } catch (Throwable e) {
            try {
                deleteTree(folder);
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static Path extractInto(Path zip, Path folder, Limits limits) throws IOException {
        String shown = String.valueOf(zip.getFileName());
        try (ZipFile zf = ZipArchives.open(zip)) {
            if (zf.size() > limits.entries()) {
                throw new ArchiveRefused(shown, "压缩包内文件过多（" + zf.size() + " 个，上限 " + limits.entries() + " 个），已拒绝导入",
                        "the archive holds " + zf.size() + " entries, more than the " + limits.entries() + " allowed; refused");
            }
            List<ZipEntry> shps = new ArrayList<>();
            List<ZipEntry> files = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> en = zf.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                checkName(shown, e.getName());
                if (e.isDirectory() || ignorable(e.getName())) {
                    continue;
                }
                files.add(e);
                if (e.getName().toLowerCase(Locale.ROOT).endsWith(".shp")) {
                    shps.add(e);
                }
            }
            if (shps.isEmpty()) {
                throw new IOException(shown + " contains no .shp file");
            }
            if (shps.size() > 1) {
                shps.sort(Comparator.comparing(ZipEntry::getName));
                throw new IOException(shown + " contains " + shps.size() + " shapefiles ("
                        + String.join(", ", shps.stream().map(ZipEntry::getName).toList())
                        + "); import them one at a time");
            }
            String shpName = shps.get(0).getName();
            String stem = shpName.substring(0, shpName.length() - 4).toLowerCase(Locale.ROOT);
            String base = safe(baseName(leaf(shpName)));
            Path shp = null;
            long budget = limits.expandedBytes();
            for (ZipEntry e : files) {
                String n = e.getName();
                int dot = n.lastIndexOf('.');
                if (dot < 0 || !n.substring(0, dot).toLowerCase(Locale.ROOT).equals(stem)) {
                    continue;
                }
                String ext = n.substring(dot + 1).toLowerCase(Locale.ROOT);
                if (!SIDE_FILES.contains(ext)) {
                    continue;
                }
                // our own file name, never the entry's path: nothing can escape the folder
                Path target = folder.resolve(base + "." + ext);
                boolean text = TEXT_FILES.contains(ext);
                long cap = text ? Math.min(limits.textBytes(), budget) : budget;
                long copied;
                try (InputStream in = zf.getInputStream(e); OutputStream out = Files.newOutputStream(target)) {
                    copied = copy(in, out, cap);
                }
                if (copied < 0 && text && cap == limits.textBytes()) {
                    throw new ArchiveRefused(shown, n + " 超过 " + size(cap) + "，不是有效的 ." + ext + " 文件，已拒绝导入",
                            n + " is larger than " + size(cap) + ", not a real ." + ext + " file; refused");
                }
                if (copied < 0) {
                    throw new ArchiveRefused(shown, "压缩包解压后超过 " + size(limits.expandedBytes()) + " 上限，已拒绝导入（疑似压缩炸弹）",
                            "the archive expands to more than " + size(limits.expandedBytes()) + "; refused (a zip bomb?)");
                }
                budget -= copied;
                if (ext.equals("shp")) {
                    shp = target;
                }
            }
            return shp;
        } catch (ZipException e) {
            throw new IOException(shown + " is not a readable zip: " + e.getMessage(), e);
        }
    }

    /** 2 GiB, 64 KiB, 1000 bytes. */
    static String size(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " bytes";
    }

    /** Copies at most {@code cap} bytes, counting what the inflater really produces; -1 when there is more. */
    private static long copy(InputStream in, OutputStream out, long cap) throws IOException {
        byte[] buf = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > cap) {
                return -1;
            }
            out.write(buf, 0, n);
        }
        return total;
    }

    /** Refuses names that are absolute, climb out with "..", hide control characters, or are archives. */
    static void checkName(String shown, String name) throws ArchiveRefused {
        String why = null;
        for (int i = 0; i < name.length() && why == null; i++) {
            if (name.charAt(i) < 0x20 || name.charAt(i) == 0x7F) {
                why = "a control character (" + (name.charAt(i) == 0 ? "NUL" : String.format("0x%02X", (int) name.charAt(i))) + ")";
            }
        }
        String printable = name.replaceAll("[\\x00-\\x1F\\x7F]", "?");
        if (why == null && (name.startsWith("/") || name.startsWith("\\") || DRIVE.matcher(name).matches())) {
            why = "an absolute path";
        }
        if (why == null) {
            for (String segment : name.split("[/\\\\]")) {
                if (segment.equals("..")) {
                    why = "a \"..\" segment";
                }
            }
        }
        if (why != null) {
            throw new ArchiveRefused(shown, "压缩包内的文件名“" + printable + "”不安全（绝对路径、“..”或控制字符），已拒绝导入",
                    "the entry name \"" + printable + "\" is unsafe (" + why + "); refused");
        }
        String leaf = leaf(name).toLowerCase(Locale.ROOT);
        int dot = leaf.lastIndexOf('.');
        if (dot >= 0 && NESTED_ARCHIVES.contains(leaf.substring(dot + 1))) {
            throw new ArchiveRefused(shown, "压缩包内含有另一个压缩包“" + printable + "”，请解压后只打包 shapefile 文件再导入",
                    "the archive holds another archive, \"" + printable + "\"; nested archives are refused:"
                            + " zip the shapefile's own files only");
        }
    }

    private static boolean ignorable(String entry) {
        String leaf = leaf(entry);
        return entry.startsWith("__MACOSX/") || entry.contains("/__MACOSX/") || leaf.startsWith("._");
    }

    private static String leaf(String entry) {
        int slash = Math.max(entry.lastIndexOf('/'), entry.lastIndexOf('\\'));
        return entry.substring(slash + 1);
    }

    private static String baseName(String leaf) {
        int dot = leaf.lastIndexOf('.');
        return dot < 0 ? leaf : leaf.substring(0, dot);
    }

    private static String safe(String base) {
        String s = base.replaceAll("[\\\\/:*?\"<>|\\x00-\\x1F]", "_");
        return s.isBlank() || s.startsWith(".") ? "layer" : s;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
