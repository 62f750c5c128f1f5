package cn.haizhu.grid.data.people;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PersonalDataCipherTest {
    private static final String ID = "44010519900307123X";
    private final String keyA = PersonalDataCipher.newKey();
    private final String keyB = PersonalDataCipher.newKey();
    private final PersonalDataCipher cipher = PersonalDataCipher.fromBase64(keyA);
    /** After a rotation: B writes, A is still read. */
    private final PersonalDataCipher rotated = PersonalDataCipher.fromBase64(keyB, List.of(keyA));

    @Test
    void roundTripsAndNeverRepeatsACiphertext() {
        byte[] a = cipher.encrypt(ID);
        byte[] b = cipher.encrypt(ID);
        assertFalse(Arrays.equals(a, b), "random nonce: equal values encrypt differently");
        assertEquals(ID, cipher.decrypt(a));
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

    @Test
    void newValuesNameTheirKeyInFormatTwo() {
        byte[] sealed = rotated.encrypt(ID);
        assertEquals(2, sealed[0]);
        assertEquals(rotated.keyId(), PersonalDataCipher.keyIdOfSealed(sealed));
        assertEquals(PersonalDataCipher.keyIdOf(keyB), rotated.keyId());
        assertArrayEquals(Arrays.copyOf(sealed, 5), rotated.currentHeader());
        assertTrue(rotated.sealedUnderCurrentKey(sealed));
        assertFalse(rotated.sealedUnderCurrentKey(cipher.encrypt(ID)), "under A: still to re-encrypt");
        assertTrue(rotated.sealedUnderCurrentKey(null), "no phone: nothing to do");
    }

    @Test
    void theRingOpensFormatOneAndFormatTwoUnderEitherKey() throws Exception {
        byte[] formatOneUnderA = FormatOne.seal(keyA, ID);
        byte[] formatTwoUnderA = cipher.encrypt(ID);
        byte[] formatTwoUnderB = rotated.encrypt(ID);
        assertEquals(ID, cipher.decrypt(formatOneUnderA), "a database from before key ids still opens");
        assertEquals(ID, rotated.decrypt(formatOneUnderA));
        assertEquals(ID, rotated.decrypt(formatTwoUnderA));
        assertEquals(ID, rotated.decrypt(formatTwoUnderB));
        assertEquals(PersonalDataCipher.keyIdOf(keyA), rotated.keyIdThatOpens(formatOneUnderA));
        assertNull(PersonalDataCipher.keyIdOfSealed(formatOneUnderA), "format 1 names no key");
        assertFalse(rotated.sealedUnderCurrentKey(formatOneUnderA));
    }

    @Test
    void aValueUnderAKeyTheRingDoesNotHoldFailsSayingWhichKey() throws Exception {
        PersonalDataCipher onlyB = PersonalDataCipher.fromBase64(keyB);
        byte[] underA = cipher.encrypt(ID);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> onlyB.decrypt(underA));
        assertTrue(e.getMessage().contains(PersonalDataCipher.keyIdOf(keyA)), e.getMessage());
        assertTrue(e.getMessage().contains("does not hold"), e.getMessage());
        IllegalArgumentException legacy = assertThrows(IllegalArgumentException.class, () -> onlyB.decrypt(FormatOne.seal(keyA, ID)));
        assertTrue(legacy.getMessage().contains("format 1"), legacy.getMessage());
        assertNull(onlyB.keyIdThatOpens(underA));
    }

    @Test
    void theKeyIdIsBoundToTheValue() {
        // Relabelling a value with another key id of the ring does not open it under that key.
        byte[] underB = rotated.encrypt(ID);
        byte[] relabelled = underB.clone();
        System.arraycopy(cipher.currentHeader(), 1, relabelled, 1, PersonalDataCipher.KEY_ID_BYTES);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rotated.decrypt(relabelled));
        assertTrue(e.getMessage().contains("altered"), e.getMessage());
    }

    @Test
    void writesHashUnderTheCurrentKeyAndLookupsUnderEvery() {
        List<byte[]> hashes = rotated.hashes(ID);
        assertEquals(2, hashes.size());
        assertArrayEquals(PersonalDataCipher.fromBase64(keyB).hash(ID), rotated.hash(ID), "writes: the current key");
        assertArrayEquals(rotated.hash(ID), hashes.get(0), "the current key's first");
        assertArrayEquals(cipher.hash(ID), hashes.get(1), "a row still under A is found");
        assertEquals(List.of(PersonalDataCipher.keyIdOf(keyA)), rotated.retiredKeyIds());
        assertEquals(1, PersonalDataCipher.fromBase64(keyB, List.of(keyB)).hashes(ID).size(), "a key listed twice counts once");
    }
}
