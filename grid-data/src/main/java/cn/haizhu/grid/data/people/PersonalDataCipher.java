package cn.haizhu.grid.data.people;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption at rest and keyed hashes for personal data (ID numbers, phones).
 *
 * <p>One 32-byte master key (from configuration) yields two keys by HMAC derivation: one for
 * AES-256-GCM encryption (random 12-byte nonce per value, so equal inputs give different
 * ciphertexts) and one for HMAC-SHA256 hashes (equal inputs give equal hashes, so a value can be
 * looked up exactly without being stored in the clear). Thread-safe.
 *
 * <p>Ciphertext layout: {@code 0x01 | nonce(12) | ciphertext+tag(16)}.
 */
public final class PersonalDataCipher {
    private static final byte FORMAT = 1;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec encKey;
    private final SecretKeySpec hashKey;
    // Random nonces from a DRBG per thread, drawn 4 KB at a time: the shared default (NativePRNG)
    // takes a lock and reads /dev/urandom on every call, almost half of encrypting a person on two
    // threads; a DRBG call costs three SHA-256 rounds whatever its length, so 12 bytes a call was a
    // third of it still. The bytes are the same DRBG stream either way.
    private static final ThreadLocal<Nonces> NONCES = ThreadLocal.withInitial(Nonces::new);

    private static final class Nonces {
        private final SecureRandom drbg;
        private final byte[] pool = new byte[NONCE * 341];
        private int next = pool.length;

        Nonces() {
            try {
                drbg = SecureRandom.getInstance("DRBG");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        void fill(byte[] nonce) {
            if (next == pool.length) {
                drbg.nextBytes(pool);
                next = 0;
            }
            System.arraycopy(pool, next, nonce, 0, NONCE);
            next += NONCE;
        }
    }
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });
    private final ThreadLocal<Mac> macs;

    private PersonalDataCipher(byte[] master) {
        if (master.length != 32) {
            throw new IllegalArgumentException("the personal-data key must be 32 bytes (base64 of 32 random bytes), got " + master.length);
        }
        this.encKey = new SecretKeySpec(derive(master, "gridctl/pii/encrypt"), "AES");
        this.hashKey = new SecretKeySpec(derive(master, "gridctl/pii/hash"), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(hashKey);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** @param base64Key base64 (standard or URL-safe) of 32 random bytes */
    public static PersonalDataCipher fromBase64(String base64Key) {
        String k = base64Key.trim();
        byte[] raw = k.contains("-") || k.contains("_") ? Base64.getUrlDecoder().decode(k) : Base64.getDecoder().decode(k);
        return new PersonalDataCipher(raw);
    }

    /** A fresh random key in the form {@link #fromBase64} takes. */
    public static String newKey() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    public byte[] encrypt(String plain) {
        if (plain == null) {
            return null;
        }
        try {
            byte[] nonce = new byte[NONCE];
            NONCES.get().fill(nonce);
            Cipher c = ciphers.get();
            c.init(Cipher.ENCRYPT_MODE, encKey, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] body = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(1 + NONCE + body.length).put(FORMAT).put(nonce).put(body).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /** Decrypts; a value encrypted under another key or altered fails with IllegalArgumentException. */
    public String decrypt(byte[] sealed) {
        if (sealed == null) {
            return null;
        }
        if (sealed.length < 1 + NONCE + TAG_BITS / 8 || sealed[0] != FORMAT) {
            throw new IllegalArgumentException("not a gridctl ciphertext");
        }
        try {
            Cipher c = ciphers.get();
            c.init(Cipher.DECRYPT_MODE, encKey, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE));
            byte[] plain = c.doFinal(sealed, 1 + NONCE, sealed.length - 1 - NONCE);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("ciphertext does not open with this key (wrong key or altered data)", e);
        }
    }

    /** Keyed hash for exact lookup; callers normalise first (upper-case X in ID numbers, digits only in phones). */
    public byte[] hash(String normalised) {
        if (normalised == null) {
            return null;
        }
        return macs.get().doFinal(normalised.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] derive(byte[] master, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
