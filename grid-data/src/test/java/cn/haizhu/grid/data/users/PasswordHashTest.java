package cn.haizhu.grid.data.users;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHashTest {
    @Test
    void verifiesTheRightPasswordOnly() {
        String stored = PasswordHash.hash("海珠-secret", 1000);
        assertTrue(PasswordHash.verify("海珠-secret", stored));
        assertFalse(PasswordHash.verify("海珠-Secret", stored));
        assertNotEquals(stored, PasswordHash.hash("海珠-secret", 1000), "salted");
    }

    @Test
    void malformedStoredValuesNeverVerify() {
        assertFalse(PasswordHash.verify("x", "plain"));
        assertFalse(PasswordHash.verify("x", "pbkdf2-sha256$abc$$"));
        assertFalse(PasswordHash.verify("x", null));
    }

    @Test
    void defaultCostIsSlow() {
        assertTrue(PasswordHash.ITERATIONS >= 600_000);
    }

    @Test
    void scopesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new DataScope("street", "44010500"));
        assertTrue(DataScope.grids(java.util.List.of("44010500110101")).gridCodes().contains("44010500110101"));
    }
}
