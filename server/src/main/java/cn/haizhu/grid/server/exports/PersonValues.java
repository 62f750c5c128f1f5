package cn.haizhu.grid.server.exports;

import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.server.people.PersonView;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;

/**
 * A person's row of an export ({@code export_persons.sql}) as {@link ExportCollection#PERSONS}'s fields:
 * what leaves is {@link PersonView}'s decision, field by field, in the view asked for, the same as the
 * persons API's; the key ring opens the ciphertexts for the unmasked view only.
 */
final class PersonValues implements ExportRows.Values {
    private final boolean unmasked;
    private final PersonalDataCipher cipher;

    PersonValues(boolean unmasked, PersonalDataCipher cipher) {
        this.unmasked = unmasked;
        this.cipher = cipher;
    }

    /** The values in the order of {@link ExportCollection#PERSONS}'s fields. */
    @Override
    public void read(ResultSet rs, Object[] values) throws SQLException {
        Array tags = rs.getArray("tags");
        PersonView.Guarded g = PersonView.guarded(unmasked, cipher, rs.getString("id_number_masked"), rs.getString("phone_masked"),
                rs.getObject("birth_date", LocalDate.class), tags == null ? null : (String[]) tags.getArray(),
                rs.getBytes("id_number_enc"), rs.getBytes("phone_enc"));
        values[0] = rs.getString("id");
        values[1] = rs.getString("name");
        values[2] = rs.getString("gender");
        values[3] = rs.getString("household_type");
        values[4] = rs.getString("id_type");
        values[5] = g.idNumber();
        values[6] = g.phone();
        values[7] = g.birthDate() == null ? null : g.birthDate().toString();
        values[8] = g.birthDecade();
        values[9] = g.tags() == null ? null : String.join(";", g.tags());
        values[10] = rs.getString("house_code");
        values[11] = rs.getString("grid_code");
        values[12] = rs.getString("community_code");
        values[13] = rs.getString("street_code");
    }
}
