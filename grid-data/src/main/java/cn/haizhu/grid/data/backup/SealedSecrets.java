package cn.haizhu.grid.data.backup;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secrets a backup carries, sealed under the backup passphrase. Standard parts from the JDK
 * only: PBKDF2-HMAC-SHA256 over the passphrase and a random 16-byte salt derives an AES-256 key
 * (600,000 iterations, as for the accounts' passwords); AES-GCM with a random 96-bit nonce seals the
 * entries, with the header lines as associated data, so a changed parameter fails like a wrong
 * passphrase. Neither the passphrase nor the derived key is written anywhere.
 *
 * <p>The file is text: a header of three lines (format, key derivation with its salt, cipher with its
 * nonce) and the ciphertext in base64. The sealed content is one entry a line, a name and its bytes in base64.
 */
final class SealedSecrets {
    static final String FORMAT = "gridctl-sealed-secrets 1";
    static final int ITERATIONS = 600_000;
    /** A passphrase shorter than this is refused when a repository gets its first secrets. */
    static final int MIN_PASSPHRASE = 12;
    private static final int TAG_BITS = 128;

    /** The passphrase does not open the file (or the file was altered: GCM cannot tell the two apart). */
    static final class WrongPassphrase extends Exception {
        WrongPassphrase() {
            super("the passphrase does not open the backup's secrets (a wrong passphrase, or an altered file)");
        }
    }

    private SealedSecrets() {
    }

    static byte[] seal(Map<String, byte[]> entries, char[] passphrase) {
        SecureRandom random = new SecureRandom();
        byte[] salt = new byte[16];
        byte[] nonce = new byte[12];
        random.nextBytes(salt);
        random.nextBytes(nonce);
        String header = header(ITERATIONS, salt, nonce);
        StringBuilder plain = new StringBuilder();
        entries.forEach((name, value) -> {
            if (!name.matches("[A-Za-z0-9._/-]+")) {
                throw new IllegalArgumentException("secret name " + name);
            }
            plain.append(name).append(' ').append(Base64.getEncoder().encodeToString(value)).append('\n');
        });
        byte[] clear = plain.toString().getBytes(StandardCharsets.UTF_8);
        try {
            Cipher gcm = cipher(Cipher.ENCRYPT_MODE, passphrase, salt, ITERATIONS, nonce, header);
            byte[] sealed = gcm.doFinal(clear);
            return (header + Base64.getMimeEncoder().encodeToString(sealed) + "\n").getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal the backup's secrets: " + e.getMessage(), e);
        } finally {
            Arrays.fill(clear, (byte) 0);
        }
    }

    static Map<String, byte[]> open(byte[] file, char[] passphrase) throws WrongPassphrase {
        List<String> lines = new String(file, StandardCharsets.US_ASCII).lines().toList();
        if (lines.size() < 4 || !lines.get(0).equals(FORMAT)) {
            throw new IllegalStateException("not a sealed secrets file of gridctl (" + FORMAT + ")");
        }
        String[] kdf = lines.get(1).split(" ");
        String[] aead = lines.get(2).split(" ");
        if (kdf.length != 4 || !kdf[0].equals("kdf") || !kdf[1].equals("PBKDF2WithHmacSHA256")
                || aead.length != 3 || !aead[0].equals("cipher") || !aead[1].equals("AES-256-GCM")) {
            throw new IllegalStateException("a sealed secrets file with an unknown key derivation or cipher");
        }
        int iterations = Integer.parseInt(kdf[2]);
        if (iterations < 100_000 || iterations > 100_000_000) {
            throw new IllegalStateException("a sealed secrets file with " + iterations + " iterations");
        }
        byte[] salt = Base64.getDecoder().decode(kdf[3]);
        byte[] nonce = Base64.getDecoder().decode(aead[2]);
        byte[] sealed = Base64.getMimeDecoder().decode(String.join("\n", lines.subList(3, lines.size())));
        byte[] clear;
        try {
            clear = cipher(Cipher.DECRYPT_MODE, passphrase, salt, iterations, nonce, header(iterations, salt, nonce)).doFinal(sealed);
        } catch (AEADBadTagException e) {
            throw new WrongPassphrase();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot open the backup's secrets: " + e.getMessage(), e);
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (String line : new String(clear, StandardCharsets.UTF_8).lines().toList()) {
            int space = line.indexOf(' ');
            entries.put(line.substring(0, space), Base64.getDecoder().decode(line.substring(space + 1)));
        }
        Arrays.fill(clear, (byte) 0);
        return entries;
    }

    private static String header(int iterations, byte[] salt, byte[] nonce) {
        return FORMAT + "\n"
                + "kdf PBKDF2WithHmacSHA256 " + iterations + " " + Base64.getEncoder().encodeToString(salt) + "\n"
                + "cipher AES-256-GCM " + Base64.getEncoder().encodeToString(nonce) + "\n";
    }

    private static Cipher cipher(int mode, char[] passphrase, byte[] salt, int iterations, byte[] nonce, String header)
            throws GeneralSecurityException {
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 256);
        byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        spec.clearPassword();
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            gcm.updateAAD(header.getBytes(StandardCharsets.US_ASCII));
            return gcm;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
