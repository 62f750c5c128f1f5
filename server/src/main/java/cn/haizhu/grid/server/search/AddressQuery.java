package cn.haizhu.grid.server.search;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An address as a reporter writes it, turned into the parts {@link AddressGeocoder} looks for in the
 * standard addresses, most precise first. Without a database: the rules alone.
 *
 * <p>Standard addresses read 广州市海珠区江南大道中123号5栋2单元1203房 (urban-village houses by lane:
 * 赤岗路3巷12号). A reporter writes part of one, in any width, with spaces, with or without the
 * province, city and district, and often with a room that is not on file. So:
 * <ol>
 *   <li>the text is normalised (full-width digits and letters to ASCII, no spaces or punctuation);</li>
 *   <li>the administrative prefix is dropped (…省, …市, …区/县 before the road): every standard address
 *       of the district carries its own, so the rest is what tells one from another;</li>
 *   <li>the rest is cut after each of its numbered parts (号, 栋/座/幢, 单元, 房/室/铺, 巷, 层/楼), and
 *       looked for from the whole down to its first part: the house, the building, the plot, the lane;</li>
 *   <li>last the road: what comes before the first number (江南大道中).</li>
 * </ol>
 * Each part is found as a substring of the addresses, which the trigram index answers for three
 * characters or more ({@link PlaceSearch#MIN_SUBSTRING}); shorter parts are not tried.
 */
public final class AddressQuery {
    /** A number and the word that ends a part of an address with it. */
    private static final Pattern NUMBERED_PART = Pattern.compile("[0-9A-Za-z-]+(号|栋|座|幢|单元|房|室|铺|巷|层|楼)");
    /** The province, city and district before the road: 广东省, 广州市, 海珠区. */
    private static final Pattern ADMIN_PREFIX = Pattern.compile("^(中国|中华人民共和国)?([^0-9省]{2,7}省)?([^0-9市]{2,7}市)?([^0-9区县]{2,7}[区县])?");
    /** What the normaliser drops: white space and the punctuation reporters put between parts. */
    private static final Pattern NOISE = Pattern.compile("[\\s,，.。、;；:：()（）\\[\\]【】\"'“”‘’#＃]+");

    private final String text;
    private final List<String> parts;
    private final List<String> roads;

    private AddressQuery(String text, List<String> parts, List<String> roads) {
        this.text = text;
        this.parts = parts;
        this.roads = roads;
    }

    /**
     * The address as written (null or blank: nothing to look for). The parts and roads are those of
     * the text as written and of the text without its administrative prefix, level by level: a
     * prefix that was none (南华西街市场… is no city) costs a lookup, never a match.
     */
    public static AddressQuery of(String written) {
        String text = written == null ? "" : NOISE.matcher(Normalizer.normalize(written, Normalizer.Form.NFKC)).replaceAll("");
        String core = stripAdminPrefix(text);
        List<String> whole = numberedParts(text);
        List<String> stripped = numberedParts(core);
        Set<String> parts = new LinkedHashSet<>();
        for (int i = 0; i < Math.max(whole.size(), stripped.size()); i++) {
            if (i < whole.size()) {
                parts.add(whole.get(i));
            }
            if (i < stripped.size()) {
                parts.add(stripped.get(i));
            }
        }
        Set<String> roads = new LinkedHashSet<>();
        for (String t : List.of(text, core)) {
            String road = road(t);
            if (longEnough(road)) {
                roads.add(road);
            }
        }
        parts.removeIf(p -> !longEnough(p) || roads.contains(p));
        return new AddressQuery(text, List.copyOf(parts), List.copyOf(roads));
    }

    /**
     * The text cut after each numbered part, the longest first (the whole, with any words after its last
     * part); none when no road comes before the first number (12号 alone is on every road).
     */
    private static List<String> numberedParts(String t) {
        List<String> out = new ArrayList<>();
        if (road(t).codePoints().filter(Character::isLetter).count() < 2) {
            return out;
        }
        Matcher m = NUMBERED_PART.matcher(t);
        while (m.find()) {
            out.add(0, t.substring(0, m.end()));
        }
        if (!out.isEmpty() && !out.get(0).equals(t)) {
            out.add(0, t);
        }
        return out;
    }

    /** The text before its first number: the road (or, without a number, the whole: a road or a place name). */
    private static String road(String t) {
        Matcher m = NUMBERED_PART.matcher(t);
        return m.find() ? t.substring(0, m.start()) : t;
    }

    static String stripAdminPrefix(String text) {
        Matcher m = ADMIN_PREFIX.matcher(text);
        if (m.find() && m.end() > 0 && longEnough(text.substring(m.end()))) {
            return text.substring(m.end());
        }
        return text;
    }

    private static boolean longEnough(String s) {
        return s.codePoints().filter(Character::isLetterOrDigit).count() >= PlaceSearch.MIN_SUBSTRING;
    }

    /** The normalised text, as the reporter wrote it otherwise. */
    public String text() {
        return text;
    }

    /** The numbered parts to look for, the most precise first (the whole address, …, the plot, the lane). */
    public List<String> parts() {
        return parts;
    }

    /** The road (the text before the first number), as written and without the prefix; none when too short. */
    public List<String> roads() {
        return roads;
    }

    /** Whether there is anything to look for at all. */
    public boolean isEmpty() {
        return parts.isEmpty() && roads.isEmpty();
    }
}
