package cn.haizhu.grid.data.cases;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The catalogue of case categories (部件/事件 大类 → 小类), immutable, looked up by code. The
 * default is {@code reference/cases/categories.csv}; an admin may replace it with the
 * district's own list. Reading checks every line and reports all problems at once, each with its
 * line number: a code that is malformed or listed twice, a 大类 or department named two ways,
 * limits that are not positive whole minutes or where urgent is longer than normal.
 */
public final class CategoryCatalogue {
    /** The header line of a catalogue file. */
    public static final String HEADER =
            "code,major_zh,major_en,name_zh,name_en,department,department_zh,department_en,urgent_hours,normal_hours";
    private static final int FIELDS = 10;
    private static final String RESOURCE = "/reference/cases/categories.csv";
    private static final Pattern DEPARTMENT_CODE = Pattern.compile("[A-Z]{2,6}");

    /** A 大类 and its 小类 in catalogue order. */
    public record Major(CaseKind kind, String code, String zh, String en, List<CaseCategory> categories) {
        /** BJ or SJ + the 2-digit code: {@code SJ01}. */
        public String key() {
            return kind.prefix() + code;
        }
    }

    /** What was wrong with a catalogue file: one line per problem. */
    public static final class CatalogueException extends IllegalArgumentException {
        private final List<String> problems;

        CatalogueException(List<String> problems) {
            super(String.join("\n", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    private final Map<String, CaseCategory> byCode;
    private final List<Major> majors;

    private CategoryCatalogue(List<CaseCategory> categories) {
        Map<String, CaseCategory> map = new LinkedHashMap<>();
        Map<String, List<CaseCategory>> byMajor = new LinkedHashMap<>();
        for (CaseCategory c : categories) {
            map.put(c.code(), c);
            byMajor.computeIfAbsent(c.majorKey(), k -> new ArrayList<>()).add(c);
        }
        List<Major> ms = new ArrayList<>();
        for (List<CaseCategory> cs : byMajor.values()) {
            CaseCategory first = cs.get(0);
            ms.add(new Major(first.kind(), first.majorCode(), first.majorZh(), first.majorEn(), List.copyOf(cs)));
        }
        this.byCode = Collections.unmodifiableMap(map);
        this.majors = List.copyOf(ms);
    }

    /** The catalogue shipped with the project (59 小类), read once. */
    public static CategoryCatalogue defaults() {
        return Default.CATALOGUE;
    }

    private static final class Default {
        static final CategoryCatalogue CATALOGUE = readResource();
    }

    private static CategoryCatalogue readResource() {
        InputStream in = CategoryCatalogue.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("reference file " + RESOURCE + " is not on the classpath");
        }
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return read(r, "categories.csv");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a catalogue in the form of {@link #HEADER}: UTF-8 (a BOM is skipped), no quoted fields,
     * {@code #} comment lines and blank lines skipped.
     *
     * @param source the file name used in messages
     * @throws CatalogueException listing every problem found
     */
    public static CategoryCatalogue read(Reader reader, String source) throws IOException {
        BufferedReader in = new BufferedReader(reader);
        List<String> problems = new ArrayList<>();
        List<CaseCategory> categories = new ArrayList<>();
        Map<String, Integer> codeLines = new HashMap<>();
        Map<String, String[]> majorNames = new HashMap<>();
        Map<String, Department> departments = new HashMap<>();
        boolean headerSeen = false;
        int lineNo = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNo++;
            String text = lineNo == 1 && line.startsWith("\uFEFF") ? line.substring(1) : line;
            if (text.isBlank() || text.startsWith("#")) {
                continue;
            }
            String where = source + " line " + lineNo + ": ";
            if (!headerSeen) {
                headerSeen = true;
                if (!text.strip().equals(HEADER)) {
                    problems.add(where + "header is '" + text.strip() + "', expected '" + HEADER + "'");
                    break;
                }
                continue;
            }
            String[] f = text.split(",", -1);
            if (f.length != FIELDS) {
                problems.add(where + "expected " + FIELDS + " fields, found " + f.length);
                continue;
            }
            for (int i = 0; i < f.length; i++) {
                f[i] = f[i].strip();
            }
            int before = problems.size();
            String code = f[0];
            CaseCategory.codeProblem(code).ifPresent(p -> problems.add(where + "code " + p));
            Integer earlier = codeLines.putIfAbsent(code, lineNo);
            if (earlier != null) {
                problems.add(where + "code " + code + " is already listed on line " + earlier);
            }
            String[] names = {"major_zh", "major_en", "name_zh", "name_en", "department_zh", "department_en"};
            int[] at = {1, 2, 3, 4, 6, 7};
            for (int i = 0; i < names.length; i++) {
                if (f[at[i]].isEmpty()) {
                    problems.add(where + names[i] + " is empty");
                }
            }
            if (!DEPARTMENT_CODE.matcher(f[5]).matches()) {
                problems.add(where + "department code must be 2-6 capital letters, found '" + f[5] + "'");
            }
            Duration urgent = hours(f[8], "urgent_hours", where, problems);
            Duration normal = hours(f[9], "normal_hours", where, problems);
            if (urgent != null && normal != null && urgent.compareTo(normal) > 0) {
                problems.add(where + "urgent limit " + f[8] + " h is longer than the normal limit " + f[9] + " h");
            }
            if (problems.size() > before) {
                continue;
            }
            CaseKind kind = CaseKind.ofPrefix(code.substring(0, 2)).orElseThrow();
            String majorKey = code.substring(0, 4);
            String[] known = majorNames.putIfAbsent(majorKey, new String[] {f[1], f[2]});
            if (known != null && !(known[0].equals(f[1]) && known[1].equals(f[2]))) {
                problems.add(where + "大类 " + majorKey + " is named '" + f[1] + "/" + f[2] + "' here but '"
                        + known[0] + "/" + known[1] + "' before");
                continue;
            }
            Department dept = new Department(f[5], f[6], f[7]);
            Department knownDept = departments.putIfAbsent(dept.code(), dept);
            if (knownDept != null && !knownDept.equals(dept)) {
                problems.add(where + "department " + dept.code() + " is named '" + dept.zh() + "/" + dept.en()
                        + "' here but '" + knownDept.zh() + "/" + knownDept.en() + "' before");
                continue;
            }
            categories.add(new CaseCategory(code, kind, code.substring(2, 4), f[1], f[2], f[3], f[4],
                    knownDept == null ? dept : knownDept, urgent, normal));
        }
        if (!headerSeen) {
            problems.add(source + ": no header line '" + HEADER + "'");
        } else if (problems.isEmpty() && categories.isEmpty()) {
            problems.add(source + ": lists no categories");
        }
        if (!problems.isEmpty()) {
            throw new CatalogueException(problems);
        }
        return new CategoryCatalogue(categories);
    }

    /** A limit in hours ("4", "0.5") as a whole number of minutes, or null after adding a problem. */
    private static Duration hours(String text, String field, String where, List<String> problems) {
        BigDecimal h;
        try {
            h = new BigDecimal(text);
        } catch (NumberFormatException e) {
            problems.add(where + field + " '" + text + "' is not a number of hours");
            return null;
        }
        if (h.signum() <= 0) {
            problems.add(where + field + " must be more than 0, found " + text);
            return null;
        }
        BigDecimal minutes = h.multiply(BigDecimal.valueOf(60));
        if (minutes.stripTrailingZeros().scale() > 0) {
            problems.add(where + field + " " + text + " h is not a whole number of minutes");
            return null;
        }
        return Duration.ofMinutes(minutes.longValueExact());
    }

    /** The category with {@code code}, if listed. */
    public Optional<CaseCategory> byCode(String code) {
        return Optional.ofNullable(byCode.get(code));
    }

    /**
     * The category with {@code code}.
     *
     * @throws IllegalArgumentException saying whether the code is malformed or just not listed
     */
    public CaseCategory require(String code) {
        CaseCategory c = byCode.get(code);
        if (c != null) {
            return c;
        }
        Optional<String> problem = CaseCategory.codeProblem(code);
        throw new IllegalArgumentException(problem.map(p -> "category code " + p)
                .orElse("category code " + code + " is not in the catalogue"));
    }

    /** Every 小类 in catalogue order. */
    public List<CaseCategory> all() {
        return List.copyOf(byCode.values());
    }

    /** The 大类 in catalogue order, each with its 小类. */
    public List<Major> majors() {
        return majors;
    }

    /** The 大类 of one kind. */
    public List<Major> majors(CaseKind kind) {
        return majors.stream().filter(m -> m.kind() == kind).toList();
    }

    /** The departments the catalogue names, in order of first appearance. */
    public List<Department> departments() {
        Map<String, Department> seen = new LinkedHashMap<>();
        for (CaseCategory c : byCode.values()) {
            seen.putIfAbsent(c.department().code(), c.department());
        }
        return List.copyOf(seen.values());
    }

    public int size() {
        return byCode.size();
    }
}
