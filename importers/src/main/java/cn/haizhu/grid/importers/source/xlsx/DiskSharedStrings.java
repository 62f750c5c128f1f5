package cn.haizhu.grid.importers.source.xlsx;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.poi.util.XMLHelper;

/**
 * The workbook's shared-string table (xl/sharedStrings.xml) kept in memory-mapped temporary files
 * instead of on the Java heap.
 *
 * <p>Excel writes every text cell as an index into this table, so a 1M-row sheet of names and
 * addresses has millions of distinct strings; POI's {@code ReadOnlySharedStringsTable} would hold
 * them all on the heap (hundreds of MB). Here the strings are written once as UTF-8 to one temp
 * file and their offsets to another; both are mapped read-only, so lookups cost no heap and the
 * operating system's page cache does the caching. Limit: each temp file must stay under 2 GB
 * (an xlsx that large is far beyond what Excel itself opens).
 */
final class DiskSharedStrings implements Closeable {
    private final Path dataFile;
    private final Path indexFile;
    private final int count;
    private final MappedByteBuffer data;
    private final MappedByteBuffer index;

    private DiskSharedStrings(Path dataFile, Path indexFile, int count) throws IOException {
        this.dataFile = dataFile;
        this.indexFile = indexFile;
        this.count = count;
        try (FileChannel d = FileChannel.open(dataFile, StandardOpenOption.READ);
             FileChannel i = FileChannel.open(indexFile, StandardOpenOption.READ)) {
            if (d.size() > Integer.MAX_VALUE) {
                throw new IOException("the workbook's shared strings exceed 2 GB");
            }
            this.data = d.map(FileChannel.MapMode.READ_ONLY, 0, d.size());
            this.index = i.map(FileChannel.MapMode.READ_ONLY, 0, i.size());
        }
    }

    /** An empty table, for workbooks without shared strings (e.g. written with inline strings). */
    static DiskSharedStrings empty() throws IOException {
        return load(null);
    }

    /** Reads sharedStrings.xml once, in a stream, into the temp files. */
    static DiskSharedStrings load(InputStream xmlOrNull) throws IOException {
        Path dataFile = Files.createTempFile("haizhu-sst-", ".data");
        Path indexFile = Files.createTempFile("haizhu-sst-", ".index");
        dataFile.toFile().deleteOnExit();
        indexFile.toFile().deleteOnExit();
        int count = 0;
        try (OutputStream dataOut = new BufferedOutputStream(Files.newOutputStream(dataFile), 1 << 16);
             DataOutputStream indexOut = new DataOutputStream(
                     new BufferedOutputStream(Files.newOutputStream(indexFile), 1 << 16))) {
            if (xmlOrNull != null) {
                XMLInputFactory f = XMLHelper.newXMLInputFactory();
                XMLStreamReader x = f.createXMLStreamReader(xmlOrNull);
                long offset = 0;
                StringBuilder text = new StringBuilder();
                // rich text: the <t> of every run <r> inside <si>; phonetic guides <rPh> are not cell text
                int phonetic = 0;
                boolean inT = false;
                while (x.hasNext()) {
                    int ev = x.next();
                    if (ev == XMLStreamConstants.START_ELEMENT) {
                        String n = x.getLocalName();
                        if (n.equals("si")) {
                            text.setLength(0);
                        } else if (n.equals("rPh")) {
                            phonetic++;
                        } else if (n.equals("t") && phonetic == 0) {
                            inT = true;
                        }
                    } else if (ev == XMLStreamConstants.END_ELEMENT) {
                        String n = x.getLocalName();
                        if (n.equals("si")) {
                            byte[] b = XlsxText.unescape(text).getBytes(StandardCharsets.UTF_8);
                            if (offset + b.length > Integer.MAX_VALUE) {
                                throw new IOException("the workbook's shared strings exceed 2 GB");
                            }
                            indexOut.writeInt((int) offset);
                            dataOut.write(b);
                            offset += b.length;
                            count++;
                        } else if (n.equals("rPh")) {
                            phonetic--;
                        } else if (n.equals("t")) {
                            inT = false;
                        }
                    } else if (inT && (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA
                            || ev == XMLStreamConstants.SPACE)) {
                        if (text.length() + x.getTextLength() > XlsxText.MAX_CELL_CHARS) {
                            throw new IOException("the workbook's shared string " + (count + 1) + " holds more than "
                                    + XlsxText.MAX_CELL_CHARS + " characters (Excel allows 32,767; a damaged or crafted file?)");
                        }
                        text.append(x.getTextCharacters(), x.getTextStart(), x.getTextLength());
                    }
                }
                x.close();
                indexOut.writeInt((int) offset);
            } else {
                indexOut.writeInt(0);
            }
        } catch (XMLStreamException e) {
            Files.deleteIfExists(dataFile);
            Files.deleteIfExists(indexFile);
            throw new IOException("the workbook's shared strings (xl/sharedStrings.xml) are damaged: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(dataFile);
            Files.deleteIfExists(indexFile);
            throw e;
        }
        return new DiskSharedStrings(dataFile, indexFile, count);
    }

    int size() {
        return count;
    }

    /** The string at a 0-based index, or null when the index is out of range (a damaged file). */
    String get(int i) {
        if (i < 0 || i >= count) {
            return null;
        }
        int from = index.getInt(i * 4);
        int to = index.getInt(i * 4 + 4);
        byte[] b = new byte[to - from];
        data.get(from, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        // mapped buffers are unmapped by the GC; on Linux the files can go now, on Windows at exit
        try {
            Files.deleteIfExists(dataFile);
            Files.deleteIfExists(indexFile);
        } catch (IOException ignored) {
            // still mapped on Windows: deleteOnExit takes care of it
        }
    }
}
