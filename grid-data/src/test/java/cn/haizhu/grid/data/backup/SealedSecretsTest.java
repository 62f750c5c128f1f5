package cn.haizhu.grid.data.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SealedSecretsTest {
    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    @Test
    void whatIsSealedOpensUnderThePassphraseOnly() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("pii.keyring", "a2V5\nb2xk".getBytes(StandardCharsets.UTF_8));
        entries.put("secrets/sync/440105001.key", "sync_abc".getBytes(StandardCharsets.UTF_8));
        byte[] sealed = SealedSecrets.seal(entries, PASSPHRASE);
        String text = new String(sealed, StandardCharsets.US_ASCII);
        assertFalse(text.contains("sync_abc"), "nothing in clear");
        assertFalse(text.contains("440105001"), "not even the names");

        Map<String, byte[]> opened = SealedSecrets.open(sealed, PASSPHRASE);
        assertEquals(entries.keySet(), opened.keySet());
        assertArrayEquals(entries.get("secrets/sync/440105001.key"), opened.get("secrets/sync/440105001.key"));

        assertThrows(SealedSecrets.WrongPassphrase.class, () -> SealedSecrets.open(sealed, "correct horse battery stapler".toCharArray()));
    }

    @Test
    void aChangedHeaderFailsLikeAWrongPassphrase() {
        byte[] sealed = SealedSecrets.seal(Map.of("pii.keyring", new byte[] {1, 2, 3}), PASSPHRASE);
        String text = new String(sealed, StandardCharsets.US_ASCII);
        // the same salt and nonce, fewer iterations: a cheaper brute force, were it accepted
        String weaker = text.replace(" 600000 ", " 200000 ");
        assertThrows(SealedSecrets.WrongPassphrase.class,
                () -> SealedSecrets.open(weaker.getBytes(StandardCharsets.US_ASCII), PASSPHRASE));
        String cheap = text.replace(" 600000 ", " 1000 ");
        assertThrows(IllegalStateException.class, () -> SealedSecrets.open(cheap.getBytes(StandardCharsets.US_ASCII), PASSPHRASE));
    }

    @Test
    void eachSealingHasItsOwnSaltAndNonce() {
        String a = new String(SealedSecrets.seal(Map.of("x", new byte[] {1}), PASSPHRASE), StandardCharsets.US_ASCII);
        String b = new String(SealedSecrets.seal(Map.of("x", new byte[] {1}), PASSPHRASE), StandardCharsets.US_ASCII);
        assertFalse(a.lines().skip(1).findFirst().equals(b.lines().skip(1).findFirst()), "salts differ");
        assertFalse(a.equals(b));
    }
}
