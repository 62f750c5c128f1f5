package cn.haizhu.grid.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.db.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rule that keeps stored XSS out of the pages, checked on their sources (map-web/src): data is
 * put on screen as text (assets/dom.js), never parsed as markup. A page that uses a markup sink
 * of the DOM, hands a library an HTML string where it would take an element, or carries inline
 * script, event-handler attributes or inline styles (which the Content-Security-Policy refuses)
 * fails the build here, with the way to do it instead.
 */
class HtmlSinksTest {
    static final Path SOURCES = TestDatabases.projectDir().resolve("map-web/src");

    /** Parse their argument as HTML, or run it as code. Never used. */
    static final Pattern DOM_SINKS = Pattern.compile(
            "\\.innerHTML\\b|\\.outerHTML\\b|insertAdjacentHTML|document\\.write|createContextualFragment|DOMParser"
                    + "|\\bsrcdoc\\b|\\beval\\(|new Function\\(|set(?:Timeout|Interval)\\(\\s*['\"`]"
                    + "|setAttribute\\(\\s*['\"](?:on\\w+|style|srcdoc)['\"]");

    /** Leaflet calls that parse a string as HTML but take an element as well: given an element. */
    static final Pattern LEAFLET_CONTENT = Pattern.compile(
            "\\.(setContent|bindPopup|bindTooltip|setPopupContent|setTooltipContent)\\(\\s*([A-Za-z_$][\\w$]*)?");
    /** Functions that return elements (reviewed), besides el() of assets/dom.js. */
    static final Set<String> ELEMENT_BUILDERS = Set.of("el", "tooltipContent");

    /** Library options that take HTML: Leaflet's divIcon html (an element or false), attribution (escaped). */
    static final Pattern HTML_OPTION = Pattern.compile("\\bhtml:\\s*(\\S)");
    static final Pattern ATTRIBUTION_OPTION = Pattern.compile("\\battribution:\\s*(?!escapeHtml\\()\\S");
    /** An ECharts formatter writing markup (tooltips take elements; labels are canvas text). */
    static final Pattern MARKUP_FORMATTER = Pattern.compile("\\bformatter:.*['\"`][^'\"`]*<[a-zA-Z/]");

    /** What a page may not carry under the Content-Security-Policy (SecurityHeaders). */
    static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
    static final Pattern INLINE_HANDLER = Pattern.compile("<[^>]*\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
    static final Pattern INLINE_STYLE = Pattern.compile("<style\\b|<[^>]*\\sstyle\\s*=", Pattern.CASE_INSENSITIVE);
    static final Pattern SCRIPT_URL = Pattern.compile("javascript:", Pattern.CASE_INSENSITIVE);

    @Test
    void pagesPutDataOnScreenAsTextOnly() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : files(".js")) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = code(lines.get(i));
                String at = SOURCES.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip();
                if (DOM_SINKS.matcher(line).find()) {
                    found.add(at + " — a markup or code sink: build elements with el() (assets/dom.js)");
                }
                Matcher content = LEAFLET_CONTENT.matcher(line);
                while (content.find()) {
                    if (content.group(2) == null || !ELEMENT_BUILDERS.contains(content.group(2))) {
                        found.add(at + " — Leaflet parses a string as HTML: pass an element built with el()");
                    }
                }
                Matcher html = HTML_OPTION.matcher(line);
                if (html.find() && "'\"`".indexOf(html.group(1).charAt(0)) >= 0) {
                    found.add(at + " — divIcon html as a string: pass an element, or false and append to getElement()");
                }
                if (ATTRIBUTION_OPTION.matcher(line).find()) {
                    found.add(at + " — Leaflet writes the attribution as HTML: pass escapeHtml(text)");
                }
                if (MARKUP_FORMATTER.matcher(line).find()) {
                    found.add(at + " — a formatter writing markup: return an element built with el()");
                }
            }
        }
        for (Path file : files(".html")) {
            String page = Files.readString(file);
            for (Pattern p : List.of(INLINE_SCRIPT, INLINE_HANDLER, INLINE_STYLE, SCRIPT_URL)) {
                Matcher m = p.matcher(page);
                while (m.find()) {
                    found.add(SOURCES.relativize(file) + ": " + m.group()
                            + " — the Content-Security-Policy refuses inline script, handlers and styles: use a module and a stylesheet");
                }
            }
        }
        assertTrue(found.isEmpty(), "data must reach the page as text:\n" + String.join("\n", found));
    }

    @Test
    void theCheckFindsWhatItLooksFor() {
        // the wall's popup as it was when stored XSS was found in it, and the other shapes of the mistake
        assertTrue(LEAFLET_CONTENT.matcher("L.popup().setContent(caseLine(c))").find());
        assertFalse(ELEMENT_BUILDERS.contains(group(LEAFLET_CONTENT, "L.popup().setContent(caseLine(c))", 2)));
        assertEquals("el", group(LEAFLET_CONTENT, ".setContent(el('div', 'case-line', caseLine(c)))", 2));
        assertEquals(null, group(LEAFLET_CONTENT, "marker.bindPopup(`<b>${c.title}</b>`)", 2));
        assertTrue(DOM_SINKS.matcher("box.innerHTML = c.title;").find());
        assertTrue(DOM_SINKS.matcher("list.insertAdjacentHTML('beforeend', row)").find());
        assertTrue(DOM_SINKS.matcher("img.setAttribute('onerror', x)").find());
        assertFalse(DOM_SINKS.matcher("name.textContent = g.name;").find());
        assertEquals("`", group(HTML_OPTION, "html: `<span data-compact=\"${x}\"></span>`,", 1));
        assertTrue(ATTRIBUTION_OPTION.matcher("attribution: cfg.attribution || '',").find());
        assertFalse(ATTRIBUTION_OPTION.matcher("attribution: escapeHtml(cfg.attribution),").find());
        assertTrue(MARKUP_FORMATTER.matcher("tooltip: { formatter: (p) => `${p.name}<br>${p.value}` },").find());
        assertFalse(MARKUP_FORMATTER.matcher("formatter: () => `${n}\\n{s|${t('open')}}`,").find());
        assertTrue(INLINE_SCRIPT.matcher("<script>alert(1)</script>").find());
        assertFalse(INLINE_SCRIPT.matcher("<script type=\"module\" src=\"/wall/main.js\"></script>").find());
        assertTrue(INLINE_HANDLER.matcher("<button onclick=\"go()\">").find());
        assertFalse(INLINE_HANDLER.matcher("<button data-action=\"close\">").find());
        assertTrue(INLINE_STYLE.matcher("<div style=\"color: red\">").find());
        assertTrue(SCRIPT_URL.matcher("<a href=\"javascript:go()\">").find());
        assertTrue(Files.isDirectory(SOURCES), SOURCES + " holds the pages");
    }

    private static String group(Pattern p, String text, int group) {
        Matcher m = p.matcher(text);
        assertTrue(m.find(), text);
        return m.group(group);
    }

    /** The line without a trailing // comment (comments may name the sinks they avoid). */
    private static String code(String line) {
        String trimmed = line.strip();
        if (trimmed.startsWith("//") || trimmed.startsWith("*") || trimmed.startsWith("/*")) {
            return "";
        }
        int comment = line.indexOf(" // ");
        return comment < 0 ? line : line.substring(0, comment);
    }

    private static List<Path> files(String extension) throws IOException {
        try (Stream<Path> all = Files.walk(SOURCES)) {
            return all.filter(p -> p.toString().endsWith(extension)).sorted().toList();
        }
    }
}
