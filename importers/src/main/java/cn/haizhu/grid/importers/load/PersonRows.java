package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.codes.IdDocument;
import cn.haizhu.grid.data.codes.IdNumber;
import cn.haizhu.grid.data.codes.PhoneNumber;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The row checks of persons (实有人口). Document numbers (an ID number or another {@link IdDocument}) and
 * phones are checked, encrypted and hashed here, before anything reaches the database; rejects show them
 * masked. Gender and birth date come from the number where it holds them (18 characters), checked
 * against the file's columns where it has them; a number that holds neither (a passport) needs the
 * columns. A person's grid is the grid of the house they live in ({@link Placement#HOUSE_CODE}).
 */
final class PersonRows {
    static final Map<String, String> GENDERS = Map.of("男", "M", "女", "F", "M", "M", "F", "F");
    static final Map<String, String> HOUSEHOLDS = Map.of(
            "户籍", "registered", "流动", "floating", "境外", "overseas",
            "registered", "registered", "floating", "floating", "overseas", "overseas");
    /** Key-population tags (重点人群) the platform knows. */
    static final Set<String> TAGS = Set.of("独居老人", "残疾人", "低保户", "刑释人员", "社区矫正人员", "严重精神障碍患者", "留守儿童");

    private final PersonalDataCipher cipher;

    PersonRows(PersonalDataCipher cipher) {
        this.cipher = cipher;
    }

    /** A person row as checked, ready to encrypt and write. */
    private record Person(String id, IdDocument type, String name, String gender, LocalDate birth, String household,
                          String phone, List<String> tags, String house) {
    }

    /**
     * id_number_enc, id_number_hash, id_number_masked, id_type, name, gender, birth_date, household_type,
     * phone_enc, phone_hash, phone_masked, tags, house_code.
     */
    void write(Row row, CopyWriter out) throws RejectedRow {
        Person p = check(row);
        out.bytes(cipher.encrypt(p.id())).bytes(cipher.hash(p.id())).text(IdDocument.mask(p.id())).text(p.type().code())
                .text(p.name())
                .text(p.gender()).date(p.birth()).text(p.household())
                .bytes(cipher.encrypt(p.phone())).bytes(cipher.hash(p.phone()))
                .text(p.phone() == null ? null : PhoneNumber.mask(p.phone()))
                .textArray(p.tags()).text(p.house());
    }

    /**
     * The first pass of a two-pass load: the keyed hash finds duplicates, the house places the person;
     * no encryption yet (id_number_hash, id_number_masked, house_code).
     */
    void writeKey(Row row, CopyWriter out) throws RejectedRow {
        Person p = check(row);
        out.bytes(cipher.hash(p.id())).text(IdDocument.mask(p.id())).text(p.house());
    }

    private static Person check(Row row) throws RejectedRow {
        String id = IdNumber.normalise(row.required("id_number"));
        IdDocument type = type(row, id);
        var idProblem = type.problem(id);
        if (idProblem.isPresent()) {
            throw type == IdDocument.RESIDENT_ID
                    ? new RejectedRow("id_number", IdDocument.mask(id), "ID number: " + idProblem.get(),
                            "身份证号不合规（GB 11643）：" + idProblem.get())
                    : new RejectedRow("id_number", IdDocument.mask(id), type.en() + " number: " + idProblem.get(),
                            type.zh() + "号码不合规：" + idProblem.get());
        }
        String gender = gender(row, type, id);
        LocalDate birth = birth(row, type, id);
        String householdText = row.required("household_type");
        String household = HOUSEHOLDS.get(householdText);
        if (household == null) {
            throw new RejectedRow("household_type", householdText, "household_type must be 户籍, 流动 or 境外",
                    "户籍类型应为 户籍/流动/境外 之一");
        }
        String phone = row.get("phone");
        if (phone != null) {
            phone = PhoneNumber.normalise(phone);
            var phoneProblem = PhoneNumber.problem(phone);
            if (phoneProblem.isPresent()) {
                throw new RejectedRow("phone", PhoneNumber.mask(phone), "phone: " + phoneProblem.get(),
                        "联系电话不合规：" + phoneProblem.get());
            }
        }
        List<String> tags = new ArrayList<>(2);
        String rawTags = row.get("tags");
        if (rawTags != null) {
            for (String t : rawTags.split("[;；,，、]")) {
                String tag = t.strip();
                if (tag.isEmpty()) {
                    continue;
                }
                if (!TAGS.contains(tag)) {
                    // the tag itself is sensitive: say which list it failed, not what it was
                    throw new RejectedRow("tags", "***", "unknown key-population tag (known: " + TAGS + ")",
                            "未知的重点人群标签（可用：" + String.join("、", TAGS) + "）");
                }
                tags.add(tag);
            }
        }
        String house = row.required("house_code");
        String name = row.required("name");
        return new Person(id, type, name, gender, birth, household, phone, tags, house);
    }

    /** The document the row names in its 证件类型 column, else the one the number's form says. */
    private static IdDocument type(Row row, String id) throws RejectedRow {
        String named = row.get("id_type");
        if (named == null) {
            return IdDocument.recognise(id);
        }
        return IdDocument.named(named).orElseThrow(() -> new RejectedRow("id_type", named,
                "unknown document type (known: 居民身份证, 港澳居民居住证, 台湾居民居住证, 外国人永久居留身份证, 护照)",
                "未知的证件类型（可用：居民身份证、港澳居民居住证、台湾居民居住证、外国人永久居留身份证、护照）"));
    }

    /** M or F: the number's, checked against the 性别 column where the file has one; else the column's. */
    private static String gender(Row row, IdDocument type, String id) throws RejectedRow {
        String text = row.get("gender");
        String fromNumber = type.gender(id).map(String::valueOf).orElse(null);
        if (text == null) {
            if (fromNumber == null) {
                throw new RejectedRow("gender", null, "gender is empty, and a " + type.en() + " number does not hold it",
                        "性别不能为空（" + type.zh() + "号码不含性别）");
            }
            return fromNumber;
        }
        String gender = GENDERS.get(text);
        if (gender == null) {
            throw new RejectedRow("gender", text, "gender must be 男 or 女", "性别应为 男 或 女");
        }
        if (fromNumber != null && !gender.equals(fromNumber)) {
            throw new RejectedRow("gender", text, "gender contradicts the " + type.en() + " number",
                    "性别与" + (type == IdDocument.RESIDENT_ID ? "身份证号" : type.zh() + "号码") + "不符");
        }
        return gender;
    }

    /** The birth date: the number's, checked against the 出生日期 column where the file has one; else the column's. */
    private static LocalDate birth(Row row, IdDocument type, String id) throws RejectedRow {
        String text = row.get("birth_date");
        LocalDate fromNumber = type.birthDate(id).orElse(null);
        if (text == null) {
            if (fromNumber == null) {
                throw new RejectedRow("birth_date", null, "birth_date is empty, and a " + type.en() + " number does not hold it",
                        "出生日期不能为空（" + type.zh() + "号码不含出生日期）");
            }
            return fromNumber;
        }
        LocalDate birth;
        try {
            birth = date(text.length() == 8 && digits(text, 0, 8)
                    ? text.substring(0, 4) + "-" + text.substring(4, 6) + "-" + text.substring(6)
                    : text.replace('/', '-').replace('.', '-'));
        } catch (DateTimeException e) {
            throw new RejectedRow("birth_date", text, "birth_date is not a date (yyyy-MM-dd)", "出生日期格式应为 yyyy-MM-dd");
        }
        if (fromNumber != null && !birth.equals(fromNumber)) {
            throw new RejectedRow("birth_date", text, "birth_date contradicts the " + type.en() + " number",
                    "出生日期与" + (type == IdDocument.RESIDENT_ID ? "身份证号" : type.zh() + "号码") + "不符");
        }
        return birth;
    }

    /**
     * yyyy-MM-dd as {@link LocalDate#parse} reads it (strict: no 2月30日), without its formatter for
     * the usual ten characters: the formatter was a quarter of checking and encrypting a person.
     */
    static LocalDate date(String text) {
        if (text.length() == 10 && text.charAt(4) == '-' && text.charAt(7) == '-' && digits(text, 0, 4)
                && digits(text, 5, 7) && digits(text, 8, 10)) {
            return LocalDate.of(Integer.parseInt(text, 0, 4, 10), Integer.parseInt(text, 5, 7, 10),
                    Integer.parseInt(text, 8, 10, 10));
        }
        return LocalDate.parse(text);
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
