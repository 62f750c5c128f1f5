package cn.haizhu.grid.importers.load;

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
 * The row checks of persons (实有人口). ID numbers and phones are checked, encrypted and hashed here,
 * before anything reaches the database; rejects show them masked. A person's grid is the grid of the
 * house they live in ({@link Placement#HOUSE_CODE}).
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
    private record Person(String id, String name, String gender, LocalDate birth, String household, String phone,
                          List<String> tags, String house) {
    }

    /**
     * id_number_enc, id_number_hash, id_number_masked, name, gender, birth_date, household_type, phone_enc,
     * phone_hash, phone_masked, tags, house_code.
     */
    void write(Row row, CopyWriter out) throws RejectedRow {
        Person p = check(row);
        out.bytes(cipher.encrypt(p.id())).bytes(cipher.hash(p.id())).text(IdNumber.mask(p.id())).text(p.name())
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
        out.bytes(cipher.hash(p.id())).text(IdNumber.mask(p.id())).text(p.house());
    }

    private static Person check(Row row) throws RejectedRow {
        String id = IdNumber.normalise(row.required("id_number"));
        var idProblem = IdNumber.problem(id);
        if (idProblem.isPresent()) {
            throw new RejectedRow("id_number", IdNumber.mask(id), "ID number: " + idProblem.get(),
                    "身份证号不合规（GB 11643）：" + idProblem.get());
        }
        String genderText = row.required("gender");
        String gender = GENDERS.get(genderText);
        if (gender == null) {
            throw new RejectedRow("gender", genderText, "gender must be 男 or 女", "性别应为 男 或 女");
        }
        if (gender.charAt(0) != IdNumber.gender(id)) {
            throw new RejectedRow("gender", genderText, "gender contradicts the ID number", "性别与身份证号不符");
        }
        String birthText = row.required("birth_date");
        LocalDate birth;
        try {
            birth = date(birthText.length() == 8 && digits(birthText, 0, 8)
                    ? birthText.substring(0, 4) + "-" + birthText.substring(4, 6) + "-" + birthText.substring(6)
                    : birthText.replace('/', '-').replace('.', '-'));
        } catch (DateTimeException e) {
            throw new RejectedRow("birth_date", birthText, "birth_date is not a date (yyyy-MM-dd)", "出生日期格式应为 yyyy-MM-dd");
        }
        if (!birth.equals(IdNumber.birthDate(id))) {
            throw new RejectedRow("birth_date", birthText, "birth_date contradicts the ID number", "出生日期与身份证号不符");
        }
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
        return new Person(id, name, gender, birth, household, phone, tags, house);
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
