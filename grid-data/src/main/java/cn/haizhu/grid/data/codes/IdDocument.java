package cn.haizhu.grid.data.codes;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The identity documents a resident of the district (实有人口) is registered with, and the rules of each
 * one's number: the one place that knows them (the importer checks rows with it, the server shows the
 * type). The stored code is the constant's name in lower case ({@code hk_macao_permit}).
 *
 * <ul>
 *   <li>居民身份证 (GB 11643): 18 characters, region code, birth date, sequence (odd: men), mod 11-2
 *       check character.</li>
 *   <li>港澳居民居住证 and 台湾居民居住证 (2018): the same layout and check, with the region code 810000
 *       (Hong Kong), 820000 (Macao) or 830000 (Taiwan).</li>
 *   <li>外国人永久居留身份证: since December 2023 18 characters starting with 9 (9, a 2-digit province
 *       code, a 3-digit country code, then birth date, sequence and mod 11-2 check as GB 11643); the
 *       2017 card has 15: 3 Latin letters (the nationality) and 12 digits. The older form's digits
 *       carry no check character that a public standard defines, so only its shape is checked, and its
 *       holder's birth date and gender come from the file.</li>
 *   <li>护照: no national rule for the number (each country issues its own); 5-20 Latin letters and
 *       digits with at least one digit. It holds neither birth date nor gender.</li>
 * </ul>
 *
 * <p>Every number is stored, hashed and masked as an ID number is ({@link IdNumber#normalise},
 * {@link IdNumber#mask}): one keyed hash finds a resident whatever their document.
 */
public enum IdDocument implements Labelled {
    RESIDENT_ID("居民身份证", "resident ID card"),
    HK_MACAO_PERMIT("港澳居民居住证", "residence permit (Hong Kong, Macao)"),
    TAIWAN_PERMIT("台湾居民居住证", "residence permit (Taiwan)"),
    FOREIGN_PERMANENT("外国人永久居留身份证", "foreign permanent residence ID card"),
    PASSPORT("护照", "passport");

    /** The names a 证件类型 column uses for each type, compared without spaces and in lower case. */
    private static final Map<String, IdDocument> NAMES = Map.ofEntries(
            Map.entry("居民身份证", RESIDENT_ID), Map.entry("身份证", RESIDENT_ID), Map.entry("二代身份证", RESIDENT_ID),
            Map.entry("公民身份号码", RESIDENT_ID), Map.entry("resident_id", RESIDENT_ID), Map.entry("idcard", RESIDENT_ID),
            Map.entry("港澳居民居住证", HK_MACAO_PERMIT), Map.entry("港澳居住证", HK_MACAO_PERMIT),
            Map.entry("香港居民居住证", HK_MACAO_PERMIT), Map.entry("澳门居民居住证", HK_MACAO_PERMIT),
            Map.entry("hk_macao_permit", HK_MACAO_PERMIT),
            Map.entry("台湾居民居住证", TAIWAN_PERMIT), Map.entry("台湾居住证", TAIWAN_PERMIT),
            Map.entry("taiwan_permit", TAIWAN_PERMIT),
            Map.entry("外国人永久居留身份证", FOREIGN_PERMANENT), Map.entry("外国人永久居留证", FOREIGN_PERMANENT),
            Map.entry("永久居留身份证", FOREIGN_PERMANENT), Map.entry("永居证", FOREIGN_PERMANENT),
            Map.entry("foreign_permanent", FOREIGN_PERMANENT),
            Map.entry("护照", PASSPORT), Map.entry("普通护照", PASSPORT), Map.entry("外国护照", PASSPORT),
            Map.entry("passport", PASSPORT));

    private final Label label;

    IdDocument(String zh, String en) {
        this.label = new Label(zh, en);
    }

    @Override
    public Label label() {
        return label;
    }

    /** The type a 证件类型 cell names (Chinese or the stored code), or empty when it names none of them. */
    public static Optional<IdDocument> named(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(NAMES.get(text.replaceAll("[\\s\\u3000]", "").toLowerCase(Locale.ROOT)));
    }

    /**
     * The type a number's form says, for files without a 证件类型 column: 18 characters starting 810000,
     * 820000 or 830000 a residence permit, 18 starting with 9 or 3 letters and 12 digits a permanent
     * residence card, a passport number's form starting with a Latin letter (E12345678) a passport, anything
     * else an ID number (so a mistyped ID number is refused with the ID number's own reason, never taken for
     * a passport). A passport number starting with a digit needs the column.
     */
    public static IdDocument recognise(String value) {
        String n = IdNumber.normalise(value);
        if (n == null || n.isEmpty()) {
            return RESIDENT_ID;
        }
        if (n.length() == IdNumber.LENGTH && Masks.allDigits(n, 0, IdNumber.LENGTH - 1)) {
            if (n.startsWith("810000") || n.startsWith("820000")) {
                return HK_MACAO_PERMIT;
            }
            if (n.startsWith("830000")) {
                return TAIWAN_PERMIT;
            }
            return n.charAt(0) == '9' ? FOREIGN_PERMANENT : RESIDENT_ID;
        }
        if (oldPermanentForm(n)) {
            return FOREIGN_PERMANENT;
        }
        boolean letterFirst = n.charAt(0) >= 'A' && n.charAt(0) <= 'Z';
        return letterFirst && passportForm(n) ? PASSPORT : RESIDENT_ID;
    }

    /** Like {@link #problem(String, LocalDate)} with today's date as the limit for birth dates. */
    public Optional<String> problem(String value) {
        return problem(value, LocalDate.now());
    }

    /** Why {@code value} is not a valid number of this document, or empty if it is one. */
    public Optional<String> problem(String value, LocalDate today) {
        String n = IdNumber.normalise(value);
        if (n == null || n.isEmpty()) {
            return Optional.of("is empty");
        }
        return switch (this) {
            case RESIDENT_ID -> {
                Optional<IdDocument> other = n.length() == IdNumber.LENGTH ? Optional.of(recognise(n)).filter(t -> t != this)
                        : Optional.empty();
                yield other.isPresent() ? Optional.of("has the form of a " + other.get().en() + " number")
                        : IdNumber.problem(n, today);
            }
            case HK_MACAO_PERMIT -> permit(n, today, "810000 or 820000", "810000", "820000");
            case TAIWAN_PERMIT -> permit(n, today, "830000", "830000");
            case FOREIGN_PERMANENT -> {
                if (n.length() == 15) {
                    yield oldPermanentForm(n) ? Optional.empty()
                            : Optional.of("the 15-character form is 3 Latin letters and 12 digits");
                }
                if (n.length() != IdNumber.LENGTH) {
                    yield Optional.of("must be 18 characters (2023 form) or 15 (2017 form), found " + n.length());
                }
                yield n.charAt(0) != '9' ? Optional.of("the 18-character form starts with 9, found '" + n.charAt(0) + "'")
                        : IdNumber.problem(n, today);
            }
            case PASSPORT -> passportForm(n) ? Optional.empty()
                    : Optional.of("a passport number is 5-20 Latin letters and digits, with at least one digit");
        };
    }

    /** The birth date the number holds, or empty when this document's number holds none. */
    public Optional<LocalDate> birthDate(String value) {
        String n = IdNumber.normalise(value);
        return holdsBirth(n) ? Optional.of(IdNumber.birthDate(n)) : Optional.empty();
    }

    /** 'M' or 'F' as the number's sequence says, or empty when this document's number says nothing of it. */
    public Optional<Character> gender(String value) {
        String n = IdNumber.normalise(value);
        return holdsBirth(n) ? Optional.of(IdNumber.gender(n)) : Optional.empty();
    }

    /** The display form: as an ID number is masked (6+4 for 18 characters, else first and last). */
    public static String mask(String value) {
        return IdNumber.mask(value);
    }

    /** Whether a valid number of this type is in the GB 11643 layout (birth date at 7-14, sex at 17). */
    private boolean holdsBirth(String n) {
        return this != PASSPORT && n != null && n.length() == IdNumber.LENGTH;
    }

    private static Optional<String> permit(String n, LocalDate today, String prefixes, String... allowed) {
        for (String p : allowed) {
            if (n.startsWith(p)) {
                return IdNumber.problem(n, today);
            }
        }
        return Optional.of("a residence permit number starts with " + prefixes);
    }

    private static boolean oldPermanentForm(String n) {
        if (n.length() != 15) {
            return false;
        }
        for (int i = 0; i < 3; i++) {
            if (n.charAt(i) < 'A' || n.charAt(i) > 'Z') {
                return false;
            }
        }
        return Masks.allDigits(n, 3, 15);
    }

    private static boolean passportForm(String n) {
        if (n.length() < 5 || n.length() > 20) {
            return false;
        }
        boolean digit = false;
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            boolean isDigit = c >= '0' && c <= '9';
            if (!isDigit && (c < 'A' || c > 'Z')) {
                return false;
            }
            digit |= isDigit;
        }
        return digit;
    }
}
