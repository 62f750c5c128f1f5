package cn.haizhu.grid.data.users;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Slow password hashes: PBKDF2-HMAC-SHA256 with a random 16-byte salt and 600,000 iterations
 * (OWASP's 2023 figure for this algorithm), in the self-describing form
 * {@code pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>} so the cost can rise later without
 * breaking stored hashes. Takes roughly a third of a second per call on this machine: call it off
 * the event loop.
 */
public final class PasswordHash {
    static final int ITERATIONS = 600_000;
    private static final String PREFIX = "pbkdf2-sha256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    public static String hash(String password) {
        return hash(password, ITERATIONS);
    }

    static String hash(String password, int iterations) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] dk = derive(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(dk);
    }

    /** True when {@code password} matches {@code stored}; false for any malformed stored value. */
    public static boolean verify(String password, String stored) {
        if (password == null || stored == null) {
            return false;
        }
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !PREFIX.equals(parts[0])) {
            return false;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(password, salt, iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The hash part a stored value would have for {@code password}, given the stored salt and cost
     * (both base64 as stored): what a sign-in sends the database to compare, so that the stored hash
     * never leaves it. Null for a malformed salt or an unreasonable cost.
     */
    public static String candidate(String password, String saltBase64, int iterations) {
        if (password == null || saltBase64 == null || iterations < 1 || iterations > 10_000_000) {
            return null;
        }
        try {
            byte[] salt = Base64.getDecoder().decode(saltBase64);
            return Base64.getEncoder().withoutPadding().encodeToString(derive(password, salt, iterations));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
