package cn.haizhu.grid.server.exports;

import java.io.IOException;

/** A format's writer: told the collection once, then given the rows one by one, then finished. */
interface FeatureWriter extends AutoCloseable {
    void begin(ExportCollection collection, ExportCrs crs) throws IOException;

    void write(Feature f) throws IOException;

    /**
     * Hands what is written so far on to the stream, for a format written front to back (the header
     * right after the query's first rows, so a download starts at once); the others have nothing to hand on.
     */
    default void flush() throws IOException {
    }

    /** Completes the file (after the last row); a writer not finished leaves no usable file. */
    void finish() throws IOException;

    @Override
    default void close() throws IOException {
    }
}
