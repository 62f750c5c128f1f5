package cn.haizhu.grid.server.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.users.PasswordHash;
import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import cn.haizhu.grid.server.features.filter.FilterCrs;
import cn.haizhu.grid.server.features.filter.FilterTranslator;
import cn.haizhu.grid.server.features.filter.Queryables;
import cn.haizhu.grid.server.features.filter.SqlFilter;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The 导出 buttons where command staff and dispatchers look at records (assets/exports.js), end to end
 * in headless Chromium, each file clicked for, downloaded by the browser and opened: on the wall a
 * street's houses as CSV (its BOM, one line per house) and its enterprises as a UTF-8 Shapefile, a
 * grid as a GeoPackage; at the desk the queue as it is filtered; a refusal shown as text in the
 * page's language; the buttons only for what a role may export, as the server decides it.
 *
 * <p>A grid's and the desk queue's exports send the export API's CQL2 {@code filter}: each file holds
 * what the filter selects, no more. Files: target/downloads/export-*; screenshots: target/screenshots/export-*.png.
 */
class ExportButtonsIT {
    private static final String STREET = "440105001";
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    /** The desk's queue of open cases filtered by 待派遣, as CQL2 (its street is the export's street=). */
    private static final String QUEUE_FILTER =
            "state NOT IN ('closed', 'evaluated', 'rejected', 'returned_up') AND state IN ('filed', 'reopened')";
    private static final List<String> FORMATS = List.of("gpkg", "shp", "csv", "xlsx", "geojson");
    private static TestServer server;
    private static String streetName;
    @RegisterExtension
    final Browsers browsers = new Browsers();
    private Browser browser;
    private Path downloads;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.get();
        streetName = server.firstRow("SELECT name FROM admin_area WHERE code = '" + STREET + "'")[0];
    }

    @Test
    void commandStaffExportAStreetsRecordsAndAGridFromTheWall(TestInfo test) throws Exception {
        WallPage wall = openWall("command", test);
        browser.click(By.cssSelector("#street-list .street-row[data-code='" + STREET + "']"));
        WebElement button = browser.waitVisible(By.id("area-export"));
        assertEquals("导出", button.getText());
        button.click();
        WebElement menu = browser.waitVisible(By.id("area-export-menu"));
        assertEquals("范围：" + streetName, menu.findElement(By.cssSelector(".export-scope")).getText());
        assertEquals(List.of("houses", "enterprises", "grids", "communities", "streets", "openCases", "cases"),
                options("area-export-collection"));
        assertEquals(FORMATS, options("area-export-format"));

        // ── the street's houses as CSV ──
        choose("area-export-collection", "houses");
        choose("area-export-format", "csv");
        browser.screenshot("export-wall-menu");
        Path csv = download("area-export", "房屋-" + STREET + ".csv");
        assertEquals("/api/v1/exports/houses?format=csv&street=" + STREET, menu.getAttribute("data-url"));
        assertEquals("none", menu.getAttribute("data-filter"), "a street needs no filter");
        List<String> lines = csvLines(csv);
        assertTrue(lines.get(0).startsWith("house_code,address,"), lines.get(0));
        assertEquals(server.count("SELECT count(*) FROM house WHERE street_code = ?", STREET), lines.size() - 1,
                "one line per house of the street");
        assertTrue(status("area-export").startsWith("已下载 房屋-" + STREET + ".csv（"), status("area-export"));

        // ── its enterprises as a Shapefile, its text in UTF-8 ──
        choose("area-export-collection", "enterprises");
        choose("area-export-format", "shp");
        assertEquals(List.of("GBK", "UTF-8"), options("area-export-encoding"), "a Shapefile offers GBK or UTF-8");
        choose("area-export-encoding", "UTF-8");
        Path zip = download("area-export", "企业-" + STREET + ".zip");
        assertEquals("/api/v1/exports/enterprises?format=shp&street=" + STREET + "&encoding=UTF-8", menu.getAttribute("data-url"));
        Map<String, byte[]> entries = unzip(zip);
        assertEquals(Set.of("enterprises.shp", "enterprises.shx", "enterprises.dbf", "enterprises.prj", "enterprises.cpg"),
                entries.keySet());
        assertEquals("UTF-8", new String(entries.get("enterprises.cpg"), StandardCharsets.US_ASCII).strip());
        assertEquals(server.count("SELECT count(*) FROM enterprise WHERE street_code = ?", STREET),
                ByteBuffer.wrap(entries.get("enterprises.dbf"), 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(),
                "the DBF holds one record per enterprise of the street");
        browser.find(By.cssSelector("#area-export-menu [aria-label='关闭']")).click();
        browser.waitUntil(d -> !menu.isDisplayed());

        // ── a grid, from its panel: the grid itself as a GeoPackage ──
        String grid = server.firstRow("SELECT code FROM grid WHERE street_code = '" + STREET + "' ORDER BY code LIMIT 1")[0];
        wall.search(grid, "grid");
        browser.waitPresent("#grid-panel[data-state=ready]", "the grid found opens its panel");
        browser.click(By.id("grid-export"));
        WebElement gridMenu = browser.waitVisible(By.id("grid-export-menu"));
        assertFalse(menu.isDisplayed(), "one menu at a time");
        assertEquals("范围：网格 " + grid, gridMenu.findElement(By.cssSelector(".export-scope")).getText());
        assertEquals(List.of("houses", "enterprises", "grids", "openCases", "cases"), options("grid-export-collection"));
        choose("grid-export-collection", "grids");
        choose("grid-export-format", "gpkg");
        assertEquals("sent", gridMenu.getAttribute("data-filter"));
        browser.screenshot("export-wall-grid");
        Path gpkg = download("grid-export", "网格-" + grid + ".gpkg");
        assertArrayEquals("SQLite format 3\0".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(Files.readAllBytes(gpkg), 16));
        assertEquals(1, geoPackageRows(gpkg, "grids"), "the grid, not its street's grids");
        assertEquals("code = '" + grid + "'", gridMenu.getAttribute("data-filter-text"));
        assertEquals("/api/v1/exports/grids?format=gpkg&street=" + STREET + "&filter=" + form("code = '" + grid + "'"),
                gridMenu.getAttribute("data-url"));

        // ── in English (the switch is outside the menu: it closes; opened again, it keeps what came of the export) ──
        browser.find(By.cssSelector("[data-lang=en]")).click();
        browser.waitUntil(d -> "Export".equals(d.findElement(By.id("grid-export")).getText()));
        assertFalse(gridMenu.isDisplayed());
        browser.click(By.id("grid-export"));
        browser.waitUntil(d -> d.findElement(By.cssSelector("#grid-export-menu h3")).getText().equals("Export data"));
        assertEquals("Scope: Grid " + grid, gridMenu.findElement(By.cssSelector(".export-scope")).getText());
        assertEquals("Export", browser.find(By.id("grid-export-download")).getText());
        assertEquals("Export", browser.find(By.id("grid-export")).getText());
        assertTrue(status("grid-export").startsWith("Downloaded 网格-"), status("grid-export"));
        browser.screenshot("export-wall-grid-en");
        browser.find(By.cssSelector("[data-lang=zh-CN]")).click();
        assertTrue(browser.consoleErrors().isEmpty(), "no script errors: " + browser.consoleErrors());
    }

    @Test
    void aRefusalIsShownAsTextInThePagesLanguage(TestInfo test) throws Exception {
        // a command-centre user whose scope is narrowed to another street while the wall is open
        String user = "export-watch";
        addUser(user, "command", "district", "440105");
        openWall(user, test);
        browser.click(By.cssSelector("#street-list .street-row[data-code='" + STREET + "']"));
        browser.click(By.id("area-export"));
        browser.waitVisible(By.id("area-export-menu"));
        choose("area-export-format", "csv");
        try (Connection c = server.db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE app_user SET scope_kind = 'street', scope_code = '440105002' WHERE username = ?")) {
            ps.setString(1, user);
            assertEquals(1, ps.executeUpdate());
        }
        // the server knows the caller again within seconds (its cache of callers)
        browser.waitUntil(d -> "440105002".equals(browser.jsAsync("const done = arguments[arguments.length - 1];"
                + "fetch('/api/v1/me').then((r) => r.json()).then((me) => done(me.scope.code), () => done(null));")));
        browser.click(By.id("area-export-download"));
        WebElement menu = waitFor("#area-export-menu[data-state=error]", "the refusal is shown");
        WebElement status = browser.find(By.id("area-export-status"));
        assertEquals("alert", status.getAttribute("role"));
        assertEquals("无权导出：street " + STREET + " lies outside your scope 440105002", status.getText());
        assertNull(menu.getAttribute("data-file"), "no file");
        assertEquals(0, Files.list(downloads).count(), "nothing downloaded");
        browser.screenshot("export-refused");
        browser.find(By.cssSelector("[data-lang=en]")).click();
        browser.click(By.id("area-export"));
        browser.waitUntil(d -> status.getText().startsWith("You may not export this: street " + STREET));
        browser.screenshot("export-refused-en");
        browser.find(By.cssSelector("[data-lang=zh-CN]")).click();
    }

    @Test
    void theDeskExportsItsQueueAsFiltered(TestInfo test) throws Exception {
        DeskQueue q = deskQueue(test);
        WebElement menu = q.menu;
        assertEquals("sent", menu.getAttribute("data-filter"));
        Path csv = download("queue-export", menu);
        String file = csv.getFileName().toString();
        assertTrue(file.matches("案件-" + q.street + "-\\d{8}-\\d{4}\\.csv"), file);
        assertEquals("/api/v1/exports/cases?format=csv&street=" + q.street + "&filter=" + form(QUEUE_FILTER), menu.getAttribute("data-url"));
        Set<String> numbers = caseNumbers(csv);
        assertEquals(q.queued, numbers, "the file holds the queue's cases, all of them");
        assertFalse(numbers.contains(q.reported), "not the reported case the queue's filter hides");

        // 只看超时 joins the filter with the deadline as of the click
        String overdue = overdueOnly(q);
        Files.delete(csv); // within the same minute the file has the same name: the browser would number the new one
        Path overdueCsv = download("queue-export", menu);
        assertEquals("/api/v1/exports/cases?format=csv&street=" + q.street + "&filter=" + form(overdue), menu.getAttribute("data-url"));
        assertEquals(queued("open=true&state=filed,reopened&overdue=true&street=" + q.street), caseNumbers(overdueCsv),
                "the file holds the overdue cases of the queue");
    }

    @Test
    void theButtonsOfferWhatTheServerLetsEachRoleExport(TestInfo test) throws Exception {
        // the officer reads records but no cases: the wall offers no cases
        openWall("officer", test);
        browser.click(By.id("area-export"));
        browser.waitVisible(By.id("area-export-menu"));
        assertEquals(List.of("houses", "enterprises", "grids", "communities", "streets"), options("area-export-collection"));
        // every demo role: what the page offers is what the server answers 200 to (and 403 to the rest)
        for (String role : List.of("admin", "command", "dispatcher", "worker", "officer", "peer")) {
            String token = Http.token(role);
            JsonObject me = Http.json(Http.get("/api/v1/me", token));
            for (String collection : List.of("streets", "communities", "grids", "houses", "enterprises", "cases")) {
                Object offered = browser.jsAsync("const done = arguments[arguments.length - 1];"
                        + "import('/assets/exports.js').then((m) => done(m.mayExport(JSON.parse(arguments[0]), arguments[1])));",
                        me.encode(), collection);
                int status = Http.get("/api/v1/exports/" + collection + "?format=csv&street=" + STREET, token).statusCode();
                assertEquals(Boolean.TRUE.equals(offered) ? 200 : 403, status, role + " exporting " + collection);
            }
        }
        Object nobody = browser.jsAsync("const done = arguments[arguments.length - 1];"
                + "import('/assets/exports.js').then((m) => done(m.mayExport({permissions: ['areas.read', 'cases.read']}, 'grids')));");
        assertEquals(Boolean.FALSE, nobody, "without records.read the route is closed, whatever the collection");
    }

    @Test
    void theWallsAreaFiltersKeepEachAreasRecords(TestInfo test) throws Exception {
        browser = browsers.start(server.baseUrl());
        browser.open("/login?next=%2Fimports%2F");
        new WallPage(browser).signIn("officer");
        browser.waitForLocation("/imports/");
        String[] grid = server.firstRow("SELECT code, community_code FROM grid WHERE street_code = '" + STREET + "' ORDER BY code LIMIT 1");
        Map<String, String> areaColumn = Map.of(grid[0], "grid_code", grid[1], "community_code", "440105", "district");
        // each collection of points, and the grids, with its table and key
        Map<String, String[]> tables = Map.of("houses", new String[] {"house", "code"}, "enterprises", new String[] {"enterprise", "credit_code"},
                "cases", new String[] {"civic_case", "case_number"}, "grids", new String[] {"grid", "code"});
        for (Map.Entry<String, String> area : areaColumn.entrySet()) {
            for (Map.Entry<String, String[]> t : tables.entrySet()) {
                String collection = t.getKey();
                String table = t.getValue()[0];
                String key = t.getValue()[1];
                @SuppressWarnings("unchecked")
                Map<String, Object> where = (Map<String, Object>) browser.jsAsync("const done = arguments[arguments.length - 1];"
                        + "import('/assets/exportfilters.js').then((m) => done(m.inArea(arguments[0], arguments[1])));", collection, area.getKey());
                String column = area.getValue().equals("district") ? "street_code LIKE ? || '%'"
                        : (collection.equals("grids") && area.getValue().equals("grid_code") ? "code" : area.getValue()) + " = ?";
                Set<String> expected = keys("SELECT " + key + " FROM " + table + " WHERE " + column, area.getKey());
                assertEquals(expected, matching(collection, table, key, (String) where.get("filter"), (String) where.get("street")),
                        collection + " of " + area.getKey() + " with " + where);
            }
        }
        // the cases' filters also keep them open, as the wall shows them
        @SuppressWarnings("unchecked")
        String open = (String) browser.jsAsync("const done = arguments[arguments.length - 1];"
                + "import('/assets/exportfilters.js').then((m) => done(m.allOf(m.inArea('cases', arguments[0]).filter, m.openCases())));", grid[0]);
        assertEquals(keys("SELECT case_number FROM civic_case WHERE grid_code = ? AND state NOT IN ('closed', 'evaluated', 'rejected', 'returned_up')",
                grid[0]), matching("cases", "civic_case", "case_number", open, STREET));
    }

    // ── the desk ──

    /** The dispatcher's queue filtered by a street and 待派遣, a filed and a reported case in it, the export menu open on CSV. */
    private DeskQueue deskQueue(TestInfo test) throws Exception {
        CaseFixtures fx = CaseFixtures.load();
        String street = fx.workerGrid.substring(0, 9);
        String filedId = CaseFixtures.report("dispatcher", CaseFixtures.unique("导出待派遣"), fx.lon, fx.lat).getString("id");
        CaseFixtures.act("dispatcher", filedId, new JsonObject().put("action", "file"));
        JsonObject reported = CaseFixtures.report("dispatcher", CaseFixtures.unique("导出待受理"), fx.lon, fx.lat);
        browser = browsers.start(server.baseUrl());
        downloads = browser.downloadsTo(downloadsDir(test));
        browser.open("/desk/");
        new WallPage(browser).signIn("dispatcher");
        waitFor("body[data-desk-ready]", "the desk is ready");
        String name = server.firstRow("SELECT name FROM admin_area WHERE code = '" + street + "'")[0];
        choose("filter-street", street);
        choose("filter-state", "filed,reopened");
        waitFor("#queue-body tr[data-case-id='" + filedId + "']", "the filed case is queued");
        WebElement button = browser.waitVisible(By.id("queue-export"));
        assertEquals("导出", button.getText());
        button.click();
        WebElement menu = browser.waitVisible(By.id("queue-export-menu"));
        assertEquals("范围：" + name + " · 待派遣（已立案、重办）", menu.findElement(By.cssSelector(".export-scope")).getText());
        assertEquals(List.of("openCases"), options("queue-export-collection"));
        assertEquals(FORMATS, options("queue-export-format"));
        choose("queue-export-format", "csv");
        browser.screenshot("export-desk-menu");
        assertEquals(QUEUE_FILTER, menu.getAttribute("data-filter-text"), "the queue's filters as CQL2, term for term");
        String filed = CaseFixtures.view(filedId).getString("number");
        Set<String> queued = queued("open=true&state=filed,reopened&street=" + street);
        assertTrue(queued.contains(filed), "the filed case is queued");
        return new DeskQueue(street, menu, reported.getString("number"), queued);
    }

    /** The numbers of the cases the queue's API lists for a query (all of them: fewer than a page). */
    private static Set<String> queued(String query) {
        JsonObject page = Http.json(Http.get("/api/v1/cases?" + query + "&limit=200", Http.token("dispatcher")));
        assertTrue(page.getInteger("total") < 200, "one page holds the queue");
        return page.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("number"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Ticks the desk's 只看超时 (the menu closes: the filters are outside it), opens the menu again and
     * returns its filter, which now ends with the deadline as of that moment.
     */
    private String overdueOnly(DeskQueue q) {
        browser.find(By.cssSelector("#queue-export-menu [aria-label='关闭']")).click();
        browser.find(By.cssSelector("label.check:has(#filter-overdue)")).click();
        browser.click(By.id("queue-export"));
        browser.waitUntil(d -> q.menu.findElement(By.cssSelector(".export-scope")).getText().endsWith(" · 只看超时"));
        String filter = q.menu.getAttribute("data-filter-text");
        assertTrue(filter.matches(java.util.regex.Pattern.quote(QUEUE_FILTER)
                + " AND deadline < TIMESTAMP\\('\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ'\\)"), filter);
        return filter;
    }

    /** The desk's queue and its export menu: the street, the reported case (not queued), the numbers the queue's API lists. */
    private record DeskQueue(String street, WebElement menu, String reported, Set<String> queued) {
    }

    /**
     * The keys of the rows of a collection's table (in a street, '' for all) that a CQL2 filter selects,
     * as the server translates it for that collection (features/filter: Cql2Parser, FilterTranslator
     * over Queryables), run in the database: a page's filter is checked against the rows themselves, for
     * every area and collection, without a download each.
     */
    private static Set<String> matching(String collection, String table, String key, String cql2, String street) throws Exception {
        SqlFilter where = FilterTranslator.translate(cql2, Queryables.of(collection).orElseThrow(), FilterCrs.DEFAULT, "c", 2);
        try (Connection c = server.db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT c." + key + " FROM " + table + " c WHERE (? = '' OR c.street_code = ?) AND ("
                     + where.sql().replaceAll("\\$\\d+", "?") + ")")) {
            ps.setString(1, street);
            ps.setString(2, street);
            for (int i = 0; i < where.params().size(); i++) {
                ps.setObject(i + 3, where.params().get(i));
            }
            return keys(ps);
        }
    }

    /** The first column of a query's rows, with its parameters. */
    private static Set<String> keys(String sql, Object... args) throws Exception {
        try (Connection c = server.db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return keys(ps);
        }
    }

    private static Set<String> keys(PreparedStatement ps) throws Exception {
        Set<String> keys = new TreeSet<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }

    // ── helpers ──

    private WallPage openWall(String user, TestInfo test) {
        browser = browsers.start(server.baseUrl());
        downloads = browser.downloadsTo(downloadsDir(test));
        WallPage wall = new WallPage(browser);
        browser.open("/");
        wall.signIn(user);
        wall.gridsDrawn();
        return wall;
    }

    private static Path downloadsDir(TestInfo test) {
        return Path.of("target", "downloads", "export-" + test.getTestMethod().orElseThrow().getName());
    }

    /** Clicks the menu's download and waits for the file named `name`. */
    private Path download(String id, String name) {
        browser.click(By.id(id + "-download"));
        WebElement menu = waitFor("#" + id + "-menu[data-state=done], #" + id + "-menu[data-state=error]", "the export ends");
        assertEquals("done", menu.getAttribute("data-state"), () -> "the export failed: " + status(id));
        assertEquals(name, menu.getAttribute("data-file"));
        return browser.downloaded(downloads, name);
    }

    /** Clicks the menu's download and waits for the file, whatever its name (a time in it). */
    private Path download(String id, WebElement menu) {
        browser.click(By.id(id + "-download"));
        waitFor("#" + id + "-menu[data-state=done], #" + id + "-menu[data-state=error]", "the export ends");
        assertEquals("done", menu.getAttribute("data-state"), () -> "the export failed: " + status(id));
        return browser.downloaded(downloads, menu.getAttribute("data-file"));
    }

    private String status(String id) {
        return browser.find(By.id(id + "-status")).getText();
    }

    private List<String> options(String selectId) {
        return new Select(browser.find(By.id(selectId))).getOptions().stream().map(o -> o.getAttribute("value")).toList();
    }

    /** Picks a value of a select (the menu redraws on each choice: found afresh). */
    private void choose(String selectId, String value) {
        new Select(browser.waitVisible(By.id(selectId))).selectByValue(value);
        browser.waitUntil(d -> value.equals(new Select(d.findElement(By.id(selectId))).getFirstSelectedOption().getAttribute("value")));
    }

    private WebElement waitFor(String css, String message) {
        try {
            return browser.waitPresent(css);
        } catch (TimeoutException e) {
            throw new AssertionError(message + "; console " + browser.consoleErrors() + "; screenshot "
                    + browser.screenshot("export-failed"), e);
        }
    }

    /** Text as a URL query value, as the page's URLSearchParams writes it. */
    private static String form(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** The lines of an exported CSV, which must start with the BOM that makes Excel read UTF-8. */
    private static List<String> csvLines(Path csv) throws IOException {
        byte[] bytes = Files.readAllBytes(csv);
        assertArrayEquals(BOM, Arrays.copyOf(bytes, 3), "the CSV starts with its BOM");
        return new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8).lines().toList();
    }

    /** The case numbers of an exported cases CSV (its first column; no number holds a comma). */
    private static Set<String> caseNumbers(Path csv) throws IOException {
        List<String> lines = csvLines(csv);
        assertTrue(lines.get(0).startsWith("case_number,"), lines.get(0));
        return lines.stream().skip(1).map(l -> l.substring(0, l.indexOf(','))).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, byte[]> unzip(Path zip) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    /** Opens the GeoPackage as SQLite and counts the rows of its feature table. */
    private static long geoPackageRows(Path gpkg, String table) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + gpkg.toAbsolutePath());
             Statement s = c.createStatement();
             ResultSet contents = s.executeQuery("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'")) {
            assertTrue(contents.next(), "a feature table");
            assertEquals(table, contents.getString(1));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + gpkg.toAbsolutePath());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM \"" + table + "\"")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void addUser(String username, String role, String scopeKind, String scopeCode) throws Exception {
        try (Connection c = server.db.connection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO app_user (username, display_name, password_hash, role, scope_kind, scope_code)
                     VALUES (?, ?, ?, ?, ?, ?)
                     ON CONFLICT (username) DO UPDATE SET role = EXCLUDED.role, scope_kind = EXCLUDED.scope_kind,
                         scope_code = EXCLUDED.scope_code, password_hash = EXCLUDED.password_hash""")) {
            ps.setString(1, username);
            ps.setString(2, "导出测试");
            ps.setString(3, PasswordHash.hash(TestServer.PASSWORD));
            ps.setString(4, role);
            ps.setString(5, scopeKind);
            ps.setString(6, scopeCode);
            ps.executeUpdate();
        }
    }
}
