package cn.haizhu.grid.data.people;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PersonalDataCipherTest {
    private final PersonalDataCipher cipher = PersonalDataCipher.fromBase64(PersonalDataCipher.newKey());

    @Test
    void roundTripsAndNeverRepeatsACiphertext() {
        byte[] a = cipher.encrypt("44010519900307123X");
        byte[] b = cipher.encrypt("44010519900307123X");
        assertFalse(Arrays.equals(a, b), "random nonce: equal values encrypt differently");
        assertEquals("44010519900307123X", cipher.decrypt(a));
    }

    @Test
    void hashIsStableUnderOneKeyAndDiffersUnderAnother() {
        assertArrayEquals(cipher.hash("13800138000"), cipher.hash("13800138000"));
        PersonalDataCipher other = PersonalDataCipher.fromBase64(PersonalDataCipher.newKey());
        assertFalse(Arrays.equals(cipher.hash("13800138000"), other.hash("13800138000")));
    }

    @Test
    void anotherKeyOrATamperedValueDoesNotOpen() {
        byte[] sealed = cipher.encrypt("13800138000");
        PersonalDataCipher other = PersonalDataCipher.fromBase64(PersonalDataCipher.newKey());
        assertThrows(IllegalArgumentException.class, () -> other.decrypt(sealed));
        sealed[sealed.length - 1] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> cipher.decrypt(sealed));
    }

    @Test
    void rejectsAShortKey() {
        assertThrows(IllegalArgumentException.class, () -> PersonalDataCipher.fromBase64("c2hvcnQ="));
    }
}
