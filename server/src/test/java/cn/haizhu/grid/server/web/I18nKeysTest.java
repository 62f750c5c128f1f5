package cn.haizhu.grid.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The pages' strings, checked on their sources (map-web/src). Each page loads the shared dictionary
 * (assets/i18n.js) and the dictionaries of the modules it imports (its app's i18n.js,
 * assets/cases-i18n.js), which add their strings with addStrings(). A page that uses a key none of
 * them holds would show the bare key; a dictionary whose zh-CN and en keys differ would show
 * Chinese in English; a key with two homes would depend on the order the modules load. Each fails
 * the build here.
 *
 * <p>A key is "used" by a page when a module of the page passes it to t() as a literal, when its
 * markup names it (data-i18n, data-i18n-attr), or when a module holds it as a string literal (keys
 * travel through helpers: fact('case.address', …)). A literal ending in a dot ('case.state.' +
 * state) uses every key that starts with it.
 */
class I18nKeysTest {
    static final Path SOURCES = HtmlSinksTest.SOURCES;

    static final Pattern MODULE_SCRIPT = Pattern.compile("<script\\b[^>]*\\btype=\"module\"[^>]*\\bsrc=\"([^\"]+)\"");
    static final Pattern IMPORT = Pattern.compile("(?m)^\\s*import\\s+(?:[^;'\"]*?\\bfrom\\s*)?['\"]([^'\"]+)['\"]");
    static final Pattern MARKUP_KEY = Pattern.compile("\\bdata-i18n=\"([^\"]+)\"");
    static final Pattern MARKUP_ATTR_KEYS = Pattern.compile("\\bdata-i18n-attr=\"([^\"]+)\"");
    /** A call of t(, not of x.t( or foot(. */
    static final Pattern T_CALL = Pattern.compile("(?<![\\w$.])t\\(");
    static final Pattern LITERAL = Pattern.compile("'([^'\\\\\\n]*)'|\"([^\"\\\\\\n]*)\"|`([^`\\\\$]*)(?:\\$\\{|`)");
    static final Pattern KEY_SHAPE = Pattern.compile("[a-zA-Z][\\w-]*(?:\\.[\\w-]+)+\\.?|[a-zA-Z][\\w-]*\\.");
    static final Pattern LANG_BLOCK = Pattern.compile("^\\s*(?:'zh-CN'|en):\\s*\\{\\s*$");
    static final Pattern BLOCK_END = Pattern.compile("^\\s*\\},?\\s*$");
    static final Pattern DICT_ENTRY = Pattern.compile("^\\s*'([^']+)':");
    static final String SHARED = "assets/i18n.js";

    @Test
    void everyKeyAPageUsesIsInADictionaryItLoads() throws IOException {
        Map<String, String> sources = read(SOURCES);
        assertTrue(sources.keySet().stream().filter(p -> p.endsWith(".html")).count() >= 6, "the pages are found: " + sources.keySet());
        List<String> problems = problems(sources);
        assertTrue(problems.isEmpty(), "the pages' strings:\n" + String.join("\n", problems));
    }

    @Test
    void theCheckFindsWhatItLooksFor() {
        Map<String, String> sources = new TreeMap<>();
        sources.put(SHARED, "const DICT = {\n  'zh-CN': {\n    'app.title': '中心',\n  },\n  en: {\n    'app.title': 'Center',\n  },\n};\n");
        sources.put("shop/index.html", "<title data-i18n=\"shop.title\"></title>\n<input data-i18n-attr=\"placeholder:shop.hint\">\n"
                + "<script type=\"module\" src=\"/shop/main.js\"></script>");
        sources.put("shop/main.js", "import { t } from '/assets/i18n.js';\nimport './i18n.js';\n"
                + "t('shop.gone'); t(busy ? 'app.title' : 'shop.busy'); fact('desk.title', x); t('shop.kind.' + kind);\n"
                + "const permission = 'imports.run';\n");
        sources.put("shop/i18n.js", dictionary(List.of("shop.title", "shop.hint", "shop.kind.a", "shop.zh"),
                List.of("shop.title", "shop.hint", "shop.kind.a", "shop.en")));
        sources.put("desk/index.html", "<script type=\"module\" src=\"/desk/main.js\"></script>");
        sources.put("desk/main.js", "import './i18n.js';\nt('desk.title');\n");
        List<String> desk = List.of("desk.title", "shop.kind.b", "app.title");
        sources.put("desk/i18n.js", dictionary(desk, desk));

        assertEquals(List.of(
                "app.title: in two dictionaries, assets/i18n.js and desk/i18n.js",
                "shop/i18n.js: zh-CN and en differ (only in zh-CN: [shop.zh]; only in en: [shop.en])",
                "shop/index.html: uses desk.title (shop/main.js), which no dictionary of the page holds",
                "shop/index.html: uses shop.busy (shop/main.js), which no dictionary of the page holds",
                "shop/index.html: uses shop.gone (shop/main.js), which no dictionary of the page holds",
                "shop/index.html: uses shop.kind.* (shop/main.js), but shop.kind.b is in no dictionary of the page"),
                problems(sources));
    }

    /** A dictionary module as the apps write them, each text "x". */
    private static String dictionary(List<String> zh, List<String> en) {
        return "import { addStrings } from '/assets/i18n.js';\n\naddStrings({\n  'zh-CN': {\n" + entries(zh) + "  },\n  en: {\n"
                + entries(en) + "  },\n});\n";
    }

    private static String entries(List<String> keys) {
        StringBuilder entries = new StringBuilder();
        keys.forEach(key -> entries.append("    '").append(key).append("': 'x',\n"));
        return entries.toString();
    }

    /** What is wrong with the pages' strings in these sources (path under map-web/src → text), or nothing. */
    static List<String> problems(Map<String, String> sources) {
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> dictionaries = new TreeMap<>(); // module → its keys
        Map<String, String> home = new TreeMap<>(); // key → the first dictionary that holds it
        Set<String> twice = new TreeSet<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            if (!source.getKey().endsWith(".js") || !isDictionary(source.getKey(), source.getValue())) {
                continue;
            }
            Map<String, Set<String>> byLang = keysByLanguage(source.getValue());
            Set<String> zh = byLang.getOrDefault("'zh-CN'", Set.of());
            Set<String> en = byLang.getOrDefault("en", Set.of());
            if (!zh.equals(en)) {
                problems.add(source.getKey() + ": zh-CN and en differ (only in zh-CN: " + minus(zh, en) + "; only in en: "
                        + minus(en, zh) + ")");
            }
            Set<String> keys = new TreeSet<>(zh);
            keys.addAll(en);
            dictionaries.put(source.getKey(), keys);
            for (String key : keys) {
                String first = home.putIfAbsent(key, source.getKey());
                if (first != null && twice.add(key)) {
                    problems.add(key + ": in two dictionaries, " + first + " and " + source.getKey());
                }
            }
        }
        Set<String> allKeys = home.keySet();
        for (Map.Entry<String, String> page : sources.entrySet()) {
            if (!page.getKey().endsWith(".html")) {
                continue;
            }
            List<String> modules = modules(page.getValue(), page.getKey(), sources);
            Set<String> available = new TreeSet<>(dictionaries.getOrDefault(SHARED, Set.of()));
            modules.stream().filter(dictionaries::containsKey).forEach(m -> available.addAll(dictionaries.get(m)));
            Map<String, String> used = new TreeMap<>(); // key or prefix → where it is used
            markupKeys(page.getValue()).forEach(k -> used.putIfAbsent(k, page.getKey()));
            for (String module : modules) {
                usedKeys(sources.get(module), allKeys).forEach(k -> used.putIfAbsent(k, module));
            }
            used.forEach((key, where) -> {
                if (key.endsWith(".")) {
                    Set<String> missing = new TreeSet<>();
                    allKeys.stream().filter(k -> k.startsWith(key) && !available.contains(k)).forEach(missing::add);
                    if (available.stream().noneMatch(k -> k.startsWith(key)) && missing.isEmpty()) {
                        problems.add(page.getKey() + ": uses " + key + "* (" + where + "), which no dictionary of the page holds");
                    } else if (!missing.isEmpty()) {
                        problems.add(page.getKey() + ": uses " + key + "* (" + where + "), but " + String.join(", ", missing)
                                + (missing.size() == 1 ? " is" : " are") + " in no dictionary of the page");
                    }
                } else if (!available.contains(key)) {
                    problems.add(page.getKey() + ": uses " + key + " (" + where + "), which no dictionary of the page holds");
                }
            });
        }
        return problems;
    }

    private static boolean isDictionary(String path, String text) {
        return path.equals(SHARED) || text.contains("addStrings({");
    }

    /** The keys of each language block ('zh-CN': { … } and en: { … }) of a dictionary module. */
    static Map<String, Set<String>> keysByLanguage(String text) {
        Map<String, Set<String>> byLang = new LinkedHashMap<>();
        Set<String> current = null;
        for (String line : text.split("\n")) {
            if (LANG_BLOCK.matcher(line).matches()) {
                current = byLang.computeIfAbsent(line.strip().replaceAll(":\\s*\\{$", ""), k -> new TreeSet<>());
            } else if (current != null && BLOCK_END.matcher(line).matches()) {
                current = null;
            } else if (current != null) {
                Matcher entry = DICT_ENTRY.matcher(line);
                if (entry.find()) {
                    current.add(entry.group(1));
                }
            }
        }
        return byLang;
    }

    /** The page's modules: its module scripts and all they import, as paths under map-web/src. */
    static List<String> modules(String page, String pagePath, Map<String, String> sources) {
        Set<String> found = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>();
        Matcher script = MODULE_SCRIPT.matcher(page);
        while (script.find()) {
            todo.add(resolve(pagePath, script.group(1)));
        }
        while (!todo.isEmpty()) {
            String module = todo.remove(todo.size() - 1);
            if (!sources.containsKey(module) || !found.add(module)) {
                continue; // outside map-web/src (vendor/, webjars/) or seen
            }
            Matcher imported = IMPORT.matcher(sources.get(module));
            while (imported.find()) {
                todo.add(resolve(module, imported.group(1)));
            }
        }
        return List.copyOf(found);
    }

    private static String resolve(String from, String url) {
        if (url.startsWith("/")) {
            return url.substring(1);
        }
        Path dir = Path.of(from).getParent();
        return (dir == null ? Path.of(url) : dir.resolve(url)).normalize().toString().replace('\\', '/');
    }

    static Set<String> markupKeys(String page) {
        Set<String> keys = new TreeSet<>();
        Matcher text = MARKUP_KEY.matcher(page);
        while (text.find()) {
            keys.add(text.group(1));
        }
        Matcher attrs = MARKUP_ATTR_KEYS.matcher(page);
        while (attrs.find()) {
            for (String pair : attrs.group(1).split(",")) {
                keys.add(pair.substring(pair.indexOf(':') + 1).strip());
            }
        }
        return keys;
    }

    /**
     * The keys (and key prefixes, ending in a dot) a module uses: the literals in t()'s first
     * argument, and any literal that is a key, or the start of keys, of some dictionary.
     */
    static Set<String> usedKeys(String module, Set<String> allKeys) {
        Set<String> keys = new TreeSet<>();
        Matcher call = T_CALL.matcher(module);
        while (call.find()) {
            for (String literal : literals(firstArgument(module, call.end()))) {
                if (KEY_SHAPE.matcher(literal).matches()) {
                    keys.add(literal);
                }
            }
        }
        for (String literal : literals(module)) {
            boolean prefix = literal.endsWith(".") && allKeys.stream().anyMatch(k -> k.startsWith(literal));
            if (KEY_SHAPE.matcher(literal).matches() && (allKeys.contains(literal) || prefix)) {
                keys.add(literal);
            }
        }
        return keys;
    }

    /** The text of the argument that starts at from, up to its comma or closing parenthesis. */
    private static String firstArgument(String text, int from) {
        int depth = 0;
        char quote = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote && text.charAt(i - 1) != '\\') {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}' || c == ',') {
                if (depth == 0) {
                    return text.substring(from, i);
                }
                if (c != ',') {
                    depth--;
                }
            }
        }
        return text.substring(from);
    }

    private static List<String> literals(String text) {
        List<String> found = new ArrayList<>();
        Matcher m = LITERAL.matcher(text);
        while (m.find()) {
            found.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
        }
        return found;
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    private static Map<String, String> read(Path root) throws IOException {
        Map<String, String> sources = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".js") || p.toString().endsWith(".html")).toList()) {
                sources.put(root.relativize(file).toString().replace('\\', '/'), Files.readString(file));
            }
        }
        return sources;
    }
}
