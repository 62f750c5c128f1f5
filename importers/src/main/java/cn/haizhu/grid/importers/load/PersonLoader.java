package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.codes.IdNumber;
import cn.haizhu.grid.data.codes.PhoneNumber;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Persons (实有人口). ID numbers and phones are encrypted and hashed here, before anything reaches
 * the database; the person's grid is the grid of the house they live in.
 */
public final class PersonLoader extends CsvDatasetLoader {
    static final Map<String, String> GENDERS = Map.of("男", "M", "女", "F", "M", "M", "F", "F");
    static final Map<String, String> HOUSEHOLDS = Map.of(
            "户籍", "registered", "流动", "floating", "境外", "overseas",
            "registered", "registered", "floating", "floating", "overseas", "overseas");
    /** Key-population tags (重点人群) the platform knows. */
    public static final Set<String> TAGS = Set.of("独居老人", "残疾人", "低保户", "刑释人员", "社区矫正人员", "严重精神障碍患者", "留守儿童");

    private final PersonalDataCipher cipher;

    public PersonLoader(PersonalDataCipher cipher) {
        this.cipher = cipher;
    }

    @Override
    protected String dataset() {
        return "persons";
    }

    @Override
    protected String targetTable() {
        return "person";
    }

    @Override
    protected List<String> requiredColumns() {
        return List.of("id_number", "name", "gender", "birth_date", "household_type", "house_code");
    }

    @Override
    protected String stageTableSql() {
        return """
            CREATE TEMP TABLE stage_person (
                id_number_enc bytea, id_number_hash bytea, id_number_masked text, name text, gender char(1),
                birth_date date, household_type text, phone_enc bytea, phone_hash bytea, phone_masked text,
                tags text[], house_code text
            ) ON COMMIT DROP""";
    }

    @Override
    protected String copySql() {
        return """
            COPY stage_person (id_number_enc, id_number_hash, id_number_masked, name, gender, birth_date,
                               household_type, phone_enc, phone_hash, phone_masked, tags, house_code) FROM STDIN""";
    }

    @Override
    protected void stage(Row row, CopyWriter out) throws RejectedRow {
        String id = IdNumber.normalise(row.required("id_number"));
        var idProblem = IdNumber.problem(id);
        if (idProblem.isPresent()) {
            throw new RejectedRow("id_number " + IdNumber.mask(id) + ": " + idProblem.get());
        }
        String gender = GENDERS.get(row.required("gender"));
        if (gender == null) {
            throw new RejectedRow("gender '" + row.get("gender") + "' is not 男 or 女");
        }
        if (gender.charAt(0) != IdNumber.gender(id)) {
            throw new RejectedRow("gender " + row.get("gender") + " contradicts the ID number");
        }
        LocalDate birth;
        try {
            birth = LocalDate.parse(row.required("birth_date"));
        } catch (DateTimeParseException e) {
            throw new RejectedRow("birth_date '" + row.get("birth_date") + "' is not a date (yyyy-MM-dd)");
        }
        if (!birth.equals(IdNumber.birthDate(id))) {
            throw new RejectedRow("birth_date " + birth + " contradicts the ID number");
        }
        String household = HOUSEHOLDS.get(row.required("household_type"));
        if (household == null) {
            throw new RejectedRow("household_type '" + row.get("household_type") + "' is not 户籍, 流动 or 境外");
        }
        String phone = row.get("phone");
        if (phone != null) {
            phone = PhoneNumber.normalise(phone);
            var phoneProblem = PhoneNumber.problem(phone);
            if (phoneProblem.isPresent()) {
                throw new RejectedRow("phone " + PhoneNumber.mask(phone) + ": " + phoneProblem.get());
            }
        }
        List<String> tags = new ArrayList<>(2);
        String rawTags = row.get("tags");
        if (rawTags != null) {
            for (String t : rawTags.split("[;；]")) {
                String tag = t.trim();
                if (tag.isEmpty()) {
                    continue;
                }
                if (!TAGS.contains(tag)) {
                    throw new RejectedRow("tag '" + tag + "' is not one of " + TAGS);
                }
                tags.add(tag);
            }
        }
        out.bytes(cipher.encrypt(id)).bytes(cipher.hash(id)).text(IdNumber.mask(id)).text(row.required("name"))
                .text(gender).text(birth.toString()).text(household)
                .bytes(cipher.encrypt(phone)).bytes(cipher.hash(phone)).text(phone == null ? null : PhoneNumber.mask(phone))
                .textArray(tags).text(row.required("house_code"));
    }

    @Override
    protected String placedSql() {
        return """
            SELECT DISTINCT ON (s.id_number_hash) s.*, h.grid_code, h.community_code, h.street_code
            FROM stage_person s
            LEFT JOIN house h ON h.code = s.house_code
            ORDER BY s.id_number_hash""";
    }

    @Override
    protected String insertColumns() {
        return "id_number_enc, id_number_hash, id_number_masked, name, gender, birth_date, household_type, phone_enc, phone_hash, phone_masked, tags, house_code, grid_code, community_code, street_code";
    }

    /**
     * The ciphertexts differ on every import (random nonce), so changes are judged on the keyed
     * hashes and plain columns; a ciphertext is replaced only when its hash changed.
     */
    @Override
    protected String conflictClause() {
        return """
            ON CONFLICT (id_number_hash) DO UPDATE SET
                name = EXCLUDED.name, gender = EXCLUDED.gender, birth_date = EXCLUDED.birth_date,
                household_type = EXCLUDED.household_type,
                phone_enc = CASE WHEN t.phone_hash IS DISTINCT FROM EXCLUDED.phone_hash THEN EXCLUDED.phone_enc ELSE t.phone_enc END,
                phone_hash = EXCLUDED.phone_hash, phone_masked = EXCLUDED.phone_masked, tags = EXCLUDED.tags,
                house_code = EXCLUDED.house_code, grid_code = EXCLUDED.grid_code,
                community_code = EXCLUDED.community_code, street_code = EXCLUDED.street_code
            WHERE (t.name, t.gender, t.birth_date, t.household_type, t.phone_hash, t.tags, t.house_code, t.grid_code)
                  IS DISTINCT FROM
                  (EXCLUDED.name, EXCLUDED.gender, EXCLUDED.birth_date, EXCLUDED.household_type, EXCLUDED.phone_hash,
                   EXCLUDED.tags, EXCLUDED.house_code, EXCLUDED.grid_code)""";
    }
}
