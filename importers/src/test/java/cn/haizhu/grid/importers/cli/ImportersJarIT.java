package cn.haizhu.grid.importers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.codes.IdNumber;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.importers.demo.DemoDataset;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The importers run without the server: {@code gridctl-importers.jar}, the jar behind
 * {@code ./gridctl import|generate|demo-cases|db}, holds no server class and names none, and it
 * imports into a database with nothing else on its class path. Runs after {@code package}, which
 * builds the jar.
 */
class ImportersJarIT {
    static final Path JAR = TestDatabases.projectDir().resolve("importers/target/gridctl-importers.jar");
    static final String KEY = PersonalDataCipher.newKey();
    static final String DATABASE = "it_importers_jar";
    static Database db;

    @TempDir
    Path home;

    @BeforeAll
    static void demoDistrict() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " is built by mvn package");
        db = TestDatabases.fresh(DATABASE);
        new DemoDataset(0.01, 20240105L, TestDatabases.projectDir().resolve("var/test-data"))
                .ensureLoaded(db, PersonalDataCipher.fromBase64(KEY));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void theJarHoldsNoServerClassAndNoClassNamesOne() throws Exception {
        List<String> offending = new ArrayList<>();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertEquals(Main.class.getName(), jar.getManifest().getMainAttributes().getValue("Main-Class"));
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                String name = entry.getName();
                if (name.startsWith("cn/haizhu/grid/server/") || name.startsWith("io/vertx/")) {
                    offending.add(name);
                } else if (name.endsWith(".class")) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        // a class's constant pool holds the names of the classes it uses, in either spelling
                        String bytes = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                        if (bytes.contains("cn/haizhu/grid/server") || bytes.contains("cn.haizhu.grid.server")) {
                            offending.add(name + " names a server class");
                        }
                    }
                }
            }
            assertTrue(jar.getEntry(Main.class.getName().replace('.', '/') + ".class") != null, "the entry point is inside");
        }
        assertEquals(List.of(), offending, "the importers' jar must not need the server (nor the Vert.x it runs on)");
    }

    @Test
    void itsHelpNamesItsCommandsAndNotTheServers() throws Exception {
        Run help = run(Map.of(), "--help");
        assertEquals(0, help.exit(), help.toString());
        for (String command : List.of("import", "generate", "demo-cases", "db")) {
            assertTrue(help.out().contains("  " + command + " "), command + " in\n" + help.out());
        }
        assertFalse(help.out().contains("serve"), help.out());
        Run importHelp = run(Map.of(), "import", "--help");
        assertEquals(0, importHelp.exit(), importHelp.toString());
        assertTrue(importHelp.out().startsWith("Usage: gridctl import"), importHelp.out());
    }

    @Test
    void refusalsKeepTheirMessagesAndExitCodes() throws Exception {
        Path file = Files.writeString(home.resolve("p.csv"), "id_number,name\n");
        Run badConfig = run(Map.of("GRIDCTL_HTTP_PORT", "abc"), "import", "persons", file.toString());
        assertEquals(2, badConfig.exit(), badConfig.toString());
        assertEquals("gridctl: http.port (GRIDCTL_HTTP_PORT) must be a port number 1-65535, got 'abc'", badConfig.err().strip());
        Run badDataset = run(Map.of(), "import", "households", file.toString());
        assertEquals(2, badDataset.exit(), badDataset.toString());
        assertTrue(badDataset.err().contains("gridctl import: dataset must be grids, houses, persons or enterprises, got 'households'"),
                badDataset.err());
    }

    @Test
    void aSmallImportRunsFromTheJarAlone() throws Exception {
        String house = firstHouse();
        String good = id("44010519800101002");
        Path file = Files.write(home.resolve("人口.csv"), List.of(
                "身份证号,姓名,性别,出生日期,户籍类型,房屋编码",
                good + ",张伟,女,1980-01-01,户籍," + house,
                id("44010519870404007") + ",钱七,男,1987-04-04,户籍,99999999999999999"), StandardCharsets.UTF_8);
        EmbeddedPostgres pg = TestDatabases.cluster();
        Run imported = run(Map.of("GRIDCTL_DB_URL", pg.jdbcUrl(DATABASE), "GRIDCTL_DB_USER", EmbeddedPostgres.SUPERUSER,
                "GRIDCTL_DB_PASSWORD", pg.password(), "GRIDCTL_PII_KEY", KEY), "import", "persons", file.toString());
        assertEquals(0, imported.exit(), imported.toString());
        assertTrue(imported.out().matches("(?s)persons\\s+succeeded\\s+read 2\\s+inserted 1\\s+updated 0\\s+unchanged 0\\s+rejected 1 .*"),
                imported.out());
        // the jar logs as the server does (bench/import reads the loaders' phase lines from it)
        assertTrue(Pattern.compile("\\d\\d:\\d\\d:\\d\\d \\[main\\] INFO \\w+ - persons").matcher(imported.err()).find(), imported.err());
        assertFalse(imported.err().contains("SLF4J"), imported.err());
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT house_code FROM person WHERE id_number_hash = ?")) {
            ps.setBytes(1, PersonalDataCipher.fromBase64(KEY).hash(good));
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "the good row is in");
                assertEquals(house, rs.getString(1));
            }
        }
        Path rejects = Files.list(home.resolve("var/imports")).findFirst().orElseThrow();
        assertTrue(imported.out().contains("rejected rows, warnings and reasons: " + rejects), imported.out());
        assertTrue(Files.readString(rejects, StandardCharsets.UTF_8).contains("房屋编码不存在"), Files.readString(rejects));
    }

    /** What one run of the jar printed and returned. */
    record Run(int exit, String out, String err) {
    }

    /**
     * Runs the jar in a JVM of its own with only the jar on its class path, on a project folder of
     * the test's own: no configuration file, no {@code GRIDCTL_*} setting but {@code env}.
     */
    private Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dgridctl.home=" + home, "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("GRIDCTL_"));
        pb.environment().putAll(env);
        Path out = home.resolve("out.txt");
        Path err = home.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "the jar finished");
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String firstHouse() throws Exception {
        try (Connection c = db.connection(); ResultSet rs = c.createStatement().executeQuery("SELECT min(code) FROM house")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String id(String first17) {
        return first17 + IdNumber.checkChar(first17);
    }
}
