package cn.haizhu.grid.importers.source;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/** Opens the zip archives officers send (a workbook, a zipped shapefile) whatever the charset of their entry names. */
public final class ZipArchives {
    /**
     * Entry names are UTF-8 when the archiver says so, and in practice also without the flag (7-Zip,
     * macOS); zips made by the Windows shell in China carry GBK names without any flag, decoded with
     * GB18030, their superset.
     */
    private static final List<Charset> NAME_CHARSETS = List.of(StandardCharsets.UTF_8, Charset.forName("GB18030"));

    private ZipArchives() {
    }

    /**
     * The archive, opened with the first charset that decodes every entry name (all are checked
     * here, so that enumerating them later cannot fail).
     *
     * @throws ZipException when the file is not a readable zip (the reason found with UTF-8 names)
     * @throws IOException when no charset decodes the names
     */
    public static ZipFile open(Path zip) throws IOException {
        ZipException first = null;
        for (Charset names : NAME_CHARSETS) {
            ZipFile zf;
            try {
                zf = new ZipFile(zip.toFile(), names);
            } catch (ZipException e) {
                // a broken archive, or (JDK 17.0.x checks names on opening) a name this charset cannot decode
                first = first == null ? e : first;
                continue;
            } catch (IllegalArgumentException e) {
                continue;
            }
            try {
                for (Enumeration<? extends ZipEntry> en = zf.entries(); en.hasMoreElements(); ) {
                    en.nextElement();
                }
                return zf;
            } catch (IllegalArgumentException e) {
                // a name this charset cannot decode (older JDKs find it here, unchecked): try the next one
                zf.close();
            }
        }
        if (first != null) {
            throw first;
        }
        throw new IOException(zip.getFileName() + ": the names of the files in the archive are neither UTF-8 nor GBK"
                + " (a damaged zip?)");
    }
}
