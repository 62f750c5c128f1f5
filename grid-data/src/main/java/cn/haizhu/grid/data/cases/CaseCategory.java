package cn.haizhu.grid.data.cases;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A 小类 of the case catalogue: its code, its 大类, its names, the department responsible and the
 * default time limit for each urgency, in working time on the {@link WorkingCalendar}.
 *
 * @param code BJ or SJ, 2-digit 大类, 2-digit 小类: {@code SJ0102} is 事件 / 市容环境 / 暴露垃圾
 * @param majorCode the 2-digit 大类 code ({@code 01})
 */
public record CaseCategory(String code, CaseKind kind, String majorCode, String majorZh, String majorEn,
        String nameZh, String nameEn, Department department, Duration urgentLimit, Duration normalLimit) {

    private static final Pattern CODE = Pattern.compile("(BJ|SJ)(\\d{2})(\\d{2})");

    /** The default limit for a case of this category and {@code urgency}. */
    public Duration limit(Urgency urgency) {
        return urgency == Urgency.URGENT ? urgentLimit : normalLimit;
    }

    /** The code of the 大类 with its kind: {@code SJ01}. */
    public String majorKey() {
        return kind.prefix() + majorCode;
    }

    /**
     * Why {@code value} is not a category code, or empty if it has the right form (whether the
     * catalogue lists it is {@link CategoryCatalogue#byCode}'s business).
     */
    public static Optional<String> codeProblem(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of("is empty");
        }
        Matcher m = CODE.matcher(value);
        if (!m.matches()) {
            return Optional.of("must be BJ (部件) or SJ (事件) followed by 4 digits, found '" + value + "'");
        }
        if (m.group(2).equals("00")) {
            return Optional.of("大类 (digits 1-2) must be from 01 to 99, found 00");
        }
        if (m.group(3).equals("00")) {
            return Optional.of("小类 (digits 3-4) must be from 01 to 99, found 00");
        }
        return Optional.empty();
    }
}
