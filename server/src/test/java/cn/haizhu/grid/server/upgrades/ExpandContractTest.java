package cn.haizhu.grid.server.upgrades;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.db.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The versioned migrations newer than the previous release keep the expand/contract rule
 * ({@link ExpandContract}, docs/UPGRADES.md), and the rule refuses what would break the previous
 * release's servers.
 */
class ExpandContractTest {
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.*\\.sql");

    @Test
    void theMigrationsAfterThePreviousReleaseOnlyExpand() throws IOException {
        List<ExpandContract.Migration> newer = newerThanThePreviousRelease();
        assertFalse(newer.isEmpty(), "this release has migrations of its own (V" + (PreviousRelease.schema() + 1) + " on)");
        assertEquals(List.of(), ExpandContract.violations(newer));
    }

    @Test
    void theWindowIsOneRelease() throws IOException {
        assertEquals(PreviousRelease.schema(), ExpandContract.window(newerThanThePreviousRelease()),
                "this release's migrations move schema_window's oldest_server_schema to the previous release's schema"
                        + " (docs/UPGRADES.md \"Moving the previous release on\")");
    }

    @Test
    void destructiveStatementsAreRefused() {
        for (String sql : List.of(
                "ALTER TABLE civic_case DROP COLUMN title;",
                "ALTER TABLE civic_case DROP COLUMN IF EXISTS title, ADD COLUMN heading text;",
                "DROP TABLE grid_stats;",
                "DROP TABLE IF EXISTS public.grid_stats CASCADE;",
                "DROP VIEW house_view;",
                "ALTER TABLE house RENAME COLUMN address TO full_address;",
                "ALTER TABLE house RENAME TO dwelling;",
                "ALTER FUNCTION gridctl_sign_in(text, text) RENAME TO gridctl_sign_in_old;",
                "ALTER TABLE civic_case ALTER COLUMN urgency TYPE varchar(12);",
                "ALTER TABLE civic_case ALTER urgency SET DATA TYPE varchar(12);",
                "ALTER TABLE civic_case ALTER COLUMN description SET NOT NULL;",
                "ALTER TABLE civic_case ADD COLUMN channel text NOT NULL;",
                "ALTER TABLE civic_case ADD COLUMN a text, ADD COLUMN channel text NOT NULL CHECK (channel IN ('x', 'y'));",
                "DROP FUNCTION gridctl_sign_in(text, text, text);",
                "-- contract:\nALTER TABLE civic_case DROP COLUMN title;")) {
            assertEquals(1, ExpandContract.violations(List.of(new ExpandContract.Migration("V99__bad.sql", sql))).size(), sql);
        }
    }

    @Test
    void whatOnlyAddsOrLoosensPasses() {
        String expand = """
                -- a new table, column, index and function; an old column loosened; a drop of what this release made
                CREATE TABLE case_tag (id bigint PRIMARY KEY, name text NOT NULL);
                ALTER TABLE case_tag ADD COLUMN colour text NOT NULL;
                ALTER TABLE case_tag ALTER COLUMN name TYPE varchar(40);
                ALTER TABLE civic_case ADD COLUMN tag_id bigint REFERENCES case_tag (id);
                ALTER TABLE civic_case ADD COLUMN channel text NOT NULL DEFAULT 'hotline';
                ALTER TABLE pii_audit ALTER COLUMN row_count DROP NOT NULL;
                ALTER TABLE civic_case ADD CONSTRAINT civic_case_title_len CHECK (length(title) < 500) NOT VALID;
                CREATE INDEX civic_case_tag ON civic_case (tag_id);
                COMMENT ON COLUMN civic_case.channel IS 'DROP TABLE in a comment''s text is text';
                CREATE FUNCTION pg_temp.backfill() RETURNS void LANGUAGE plpgsql AS $$
                BEGIN
                    DROP TABLE IF EXISTS scratch;   -- in a body: not a statement of the migration
                END $$;
                DROP FUNCTION pg_temp.backfill();
                DROP TABLE case_tag CASCADE;
                """;
        assertEquals(List.of(), ExpandContract.violations(List.of(new ExpandContract.Migration("V99__good.sql", expand))));
        String contract = """
                -- contract: the previous release reads civic_case.heading (V90), no longer title; older ones are outside the window
                ALTER TABLE civic_case DROP COLUMN title;
                """;
        assertEquals(List.of(), ExpandContract.violations(List.of(new ExpandContract.Migration("V99__contract.sql", contract))));
        assertEquals(52, ExpandContract.window(List.of(new ExpandContract.Migration("V98__window.sql",
                "UPDATE schema_window SET oldest_server_schema = 52;"))));
    }

    @Test
    void theRecordedPreviousReleaseIsACommit() {
        assertTrue(PreviousRelease.commit().matches("[0-9a-f]{40}"), "a full commit id: " + PreviousRelease.commit());
        assertTrue(PreviousRelease.schema() > 0);
    }

    /** The versioned migrations above the previous release's newest, in order, from the project's files. */
    private static List<ExpandContract.Migration> newerThanThePreviousRelease() throws IOException {
        Path dir = TestDatabases.projectDir().resolve("grid-data/src/main/resources/db/migration");
        List<ExpandContract.Migration> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted(Comparator.comparingInt(ExpandContractTest::version)).toList()) {
                if (version(f) > PreviousRelease.schema()) {
                    out.add(new ExpandContract.Migration(f.getFileName().toString(), Files.readString(f)));
                }
            }
        }
        return out;
    }

    private static int version(Path file) {
        Matcher m = VERSIONED.matcher(file.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }
}
