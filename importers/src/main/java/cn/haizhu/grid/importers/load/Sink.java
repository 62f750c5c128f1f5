package cn.haizhu.grid.importers.load;

import java.sql.SQLException;

/** Where rejected rows and warnings go (the job's report table) and where progress is reported. */
public interface Sink {
    void reject(long row, String field, String value, String en, String zh) throws SQLException;

    /** A row refused by a check. */
    default void reject(long row, RejectedRow why) throws SQLException {
        reject(row, why.field(), why.value(), why.getMessage(), why.zh());
    }

    /** A row that loads, but not exactly as written (a repaired polygon): the officer should look at it. */
    void warn(long row, String field, String value, String en, String zh) throws SQLException;

    /** A row that loads with what its checks noted ({@link Row#warn}). */
    default void warn(long row, RejectedRow why) throws SQLException {
        warn(row, why.field(), why.value(), why.getMessage(), why.zh());
    }

    /** Called every few thousand rows; throws to stop the job (too many errors). */
    void progress(String phase, long rowsRead, double fraction) throws SQLException;
}
