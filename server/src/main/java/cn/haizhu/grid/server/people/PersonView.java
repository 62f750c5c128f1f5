package cn.haizhu.grid.server.people;

import cn.haizhu.grid.data.people.PersonalDataCipher;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.LocalDate;
import java.util.List;

/**
 * What of a person leaves the server, field by field: the one place that decides it (docs/SECURITY.md
 * has the same table).
 *
 * <table>
 *   <tr><th>field</th><th>masked view (every role; the default)</th><th>unmasked view (pii.read, asked for, audited)</th></tr>
 *   <tr><td>name, gender, household type, document type, house, grid, street</td><td>as stored</td><td>as stored</td></tr>
 *   <tr><td>ID number</td><td>6+4 mask: 440105********1234</td><td>in full</td></tr>
 *   <tr><td>phone</td><td>3+4 mask: 138****5678</td><td>in full</td></tr>
 *   <tr><td>birth date</td><td>withheld; the decade of birth instead (1980 = born 1980–1989, "80后")</td><td>in full</td></tr>
 *   <tr><td>key-population tags</td><td>withheld</td><td>in full</td></tr>
 * </table>
 *
 * <p>Why the birth date is withheld: the eight hidden digits of a masked ID number are exactly the
 * birth date, so the mask plus the date is the whole number. Why a decade and not an age band: an
 * age band changes on the birthday, and whoever watches it change learns the date; the decade of
 * birth never changes. The decade leaves about 330 candidates for a known mask (3,650 days, one in
 * eleven passing the check character), which the lookup budget (PersonReads) makes impractical to try.
 */
public final class PersonView {
    private PersonView() {
    }

    /**
     * A person's guarded fields as a view shows them, whatever read the row (the persons API's rows,
     * an export's cursor): each is null where the view withholds it. Masked: the masked ID number and
     * phone and the decade of birth; unmasked: the ID number and phone in full, the birth date and
     * the key-population tags. Name, gender, household type, document type and places are shown as
     * stored in both views.
     */
    public record Guarded(String idNumber, String phone, LocalDate birthDate, Integer birthDecade, List<String> tags) {
    }

    /** The guarded fields of one stored person in the view asked for; the ciphertexts are opened only for the unmasked view. */
    public static Guarded guarded(boolean unmasked, PersonalDataCipher cipher, String idNumberMasked, String phoneMasked,
                                  LocalDate born, String[] tags, byte[] idNumberEnc, byte[] phoneEnc) {
        if (unmasked) {
            return new Guarded(cipher.decrypt(idNumberEnc), phoneEnc == null ? null : cipher.decrypt(phoneEnc), born, null,
                    tags == null ? List.of() : List.of(tags));
        }
        return new Guarded(idNumberMasked, phoneMasked, null, birthDecade(born), null);
    }

    static JsonObject of(Row r, boolean unmasked, PersonalDataCipher cipher) {
        JsonObject p = new JsonObject().put("id", r.getUUID("gid").toString()).put("name", r.getString("name"))
                .put("gender", r.getString("gender")).put("householdType", r.getString("household_type"))
                .put("idType", r.getString("id_type"))
                .put("houseCode", r.getString("house_code")).put("gridCode", r.getString("grid_code"))
                .put("streetCode", r.getString("street_code"));
        Buffer phone = r.getBuffer("phone_enc");
        Guarded g = guarded(unmasked, cipher, r.getString("id_number_masked"), r.getString("phone_masked"),
                r.getLocalDate("birth_date"), r.getArrayOfStrings("tags"), r.getBuffer("id_number_enc").getBytes(),
                phone == null ? null : phone.getBytes());
        p.put("idNumber", g.idNumber()).put("phone", g.phone());
        if (unmasked) {
            p.put("birthDate", g.birthDate() == null ? null : g.birthDate().toString()).put("tags", new JsonArray(g.tags()));
        } else {
            p.put("birthDecade", g.birthDecade());
        }
        return p;
    }

    /** 1987-06-01 → 1980; null stays null. */
    static Integer birthDecade(LocalDate born) {
        return born == null ? null : born.getYear() / 10 * 10;
    }
}
