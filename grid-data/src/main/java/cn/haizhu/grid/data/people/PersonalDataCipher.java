package cn.haizhu.grid.data.people;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption at rest and keyed hashes for personal data (ID numbers, phones), under a key ring:
 * the current key and any number of retired ones, so the key can be rotated while the data stays
 * readable (docs/KEY-ROTATION.md).
 *
 * <p>Each 32-byte master key yields, by HMAC derivation, an AES-256-GCM key (random 12-byte nonce
 * per value, so equal inputs give different ciphertexts), an HMAC-SHA256 key for hashes (equal
 * inputs give equal hashes, so a value can be looked up exactly without being stored in the clear)
 * and a 4-byte key id (not secret: it names the key, it does not reveal it). Thread-safe and
 * immutable: a new ring is a new object.
 *
 * <p>Writes use the current key: {@link #encrypt} and {@link #hash}. Reads open a value under any
 * key of the ring ({@link #decrypt}); an exact lookup during a rotation hashes under every key
 * ({@link #hashes}), since a row may still carry its old hash.
 *
 * <p>Ciphertext layouts:
 * <ul>
 *   <li>{@code 0x02 | key id(4) | nonce(12) | ciphertext+tag(16)}, the header being GCM's associated
 *       data (so the key id cannot be altered without the value failing to open);</li>
 *   <li>{@code 0x01 | nonce(12) | ciphertext+tag(16)}: written before keys had ids; still read, by
 *       trying the keys of the ring, and rewritten as format 2 by a re-encryption.</li>
 * </ul>
 */
public final class PersonalDataCipher {
    private static final byte LEGACY_FORMAT = 1;
    private static final byte FORMAT = 2;
    /** Length of a key id in a format-2 header. */
    public static final int KEY_ID_BYTES = 4;
    private static final int HEADER = 1 + KEY_ID_BYTES;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final HexFormat HEX = HexFormat.of();

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

    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });

    /** One master key, derived into what the cipher uses. */
    private static final class Key {
        final byte[] id;
        final String idHex;
        final SecretKeySpec encryption;
        final ThreadLocal<Mac> macs;

        Key(byte[] master) {
            if (master.length != 32) {
                throw new IllegalArgumentException("a personal-data key must be 32 bytes (base64 of 32 random bytes), got " + master.length);
            }
            this.id = Arrays.copyOf(derive(master, "gridctl/pii/key-id"), KEY_ID_BYTES);
            this.idHex = HEX.formatHex(id);
            this.encryption = new SecretKeySpec(derive(master, "gridctl/pii/encrypt"), "AES");
            SecretKeySpec hashKey = new SecretKeySpec(derive(master, "gridctl/pii/hash"), "HmacSHA256");
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

        boolean named(byte[] sealed) {
            return Arrays.equals(sealed, 1, HEADER, id, 0, KEY_ID_BYTES);
        }

        byte[] hash(String normalised) {
            return macs.get().doFinal(normalised.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Key current;
    /** Current first, then the retired keys in the order configured. */
    private final List<Key> ring;

    private PersonalDataCipher(Key current, List<Key> retired) {
        this.current = current;
        List<Key> all = new ArrayList<>();
        all.add(current);
        for (Key k : retired) {
            if (all.stream().noneMatch(known -> MessageDigest.isEqual(known.id, k.id))) {
                all.add(k);   // a key listed twice (say, current and retired after an interrupted rotate) counts once
            }
        }
        this.ring = List.copyOf(all);
    }

    /** A ring of one key. @param base64Key base64 (standard or URL-safe) of 32 random bytes */
    public static PersonalDataCipher fromBase64(String base64Key) {
        return fromBase64(base64Key, List.of());
    }

    /** A ring with {@code currentKey} for writing and {@code retiredKeys} still read. */
    public static PersonalDataCipher fromBase64(String currentKey, List<String> retiredKeys) {
        List<Key> retired = new ArrayList<>();
        for (String k : retiredKeys) {
            retired.add(new Key(decodeKey(k)));
        }
        return new PersonalDataCipher(new Key(decodeKey(currentKey)), retired);
    }

    /** A fresh random key in the form {@link #fromBase64} takes. */
    public static String newKey() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    /** The id of a key (8 hex digits), which names it in ciphertexts, status output and logs. */
    public static String keyIdOf(String base64Key) {
        return new Key(decodeKey(base64Key)).idHex;
    }

    /** The id of the key a value was sealed with, or null for a format-1 value (which does not say). */
    public static String keyIdOfSealed(byte[] sealed) {
        return sealed != null && sealed.length > HEADER && sealed[0] == FORMAT ? HEX.formatHex(sealed, 1, HEADER) : null;
    }

    private static byte[] decodeKey(String base64Key) {
        String k = base64Key.trim();
        try {
            return k.contains("-") || k.contains("_") ? Base64.getUrlDecoder().decode(k) : Base64.getDecoder().decode(k);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a personal-data key must be base64 of 32 random bytes: " + e.getMessage());
        }
    }

    /** The id of the current key. */
    public String keyId() {
        return current.idHex;
    }

    /** The ids of the retired keys still in the ring (empty when no rotation is under way). */
    public List<String> retiredKeyIds() {
        return ring.subList(1, ring.size()).stream().map(k -> k.idHex).toList();
    }

    /** Whether the ring holds the key with this id. */
    public boolean holds(String keyId) {
        return ring.stream().anyMatch(k -> k.idHex.equals(keyId));
    }

    /**
     * The first bytes of every value sealed under the current key ({@code 0x02 | key id}): a row whose
     * stored value does not start with them still needs re-encrypting.
     */
    public byte[] currentHeader() {
        return ByteBuffer.allocate(HEADER).put(FORMAT).put(current.id).array();
    }

    /** Whether {@code sealed} is under the current key in the current format (null counts as nothing to do). */
    public boolean sealedUnderCurrentKey(byte[] sealed) {
        return sealed == null || sealed.length > HEADER && sealed[0] == FORMAT && current.named(sealed);
    }

    public byte[] encrypt(String plain) {
        if (plain == null) {
            return null;
        }
        try {
            byte[] nonce = new byte[NONCE];
            NONCES.get().fill(nonce);
            Cipher c = CIPHERS.get();
            c.init(Cipher.ENCRYPT_MODE, current.encryption, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] header = currentHeader();
            c.updateAAD(header);
            byte[] body = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(HEADER + NONCE + body.length).put(header).put(nonce).put(body).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /**
     * Decrypts a value sealed under any key of the ring. A value under a key the ring does not hold,
     * or altered, fails with IllegalArgumentException saying which.
     */
    public String decrypt(byte[] sealed) {
        if (sealed == null) {
            return null;
        }
        if (sealed.length >= HEADER + NONCE + TAG_BITS / 8 && sealed[0] == FORMAT) {
            for (Key k : ring) {
                if (k.named(sealed)) {
                    return open(k, sealed, HEADER, true)
                            .orElseThrow(() -> new IllegalArgumentException("ciphertext under personal-data key " + k.idHex
                                    + " does not open: altered data"));
                }
            }
            throw new IllegalArgumentException("ciphertext is under personal-data key " + keyIdOfSealed(sealed)
                    + ", which this key ring (current " + keyId() + ", retired " + retiredKeyIds() + ") does not hold:"
                    + " the configuration of this process is older than the data, or that key was removed too early");
        }
        if (sealed.length >= 1 + NONCE + TAG_BITS / 8 && sealed[0] == LEGACY_FORMAT) {
            for (Key k : ring) {
                var plain = open(k, sealed, 1, false);
                if (plain.isPresent()) {
                    return plain.get();
                }
            }
            throw new IllegalArgumentException("ciphertext (format 1, made before keys had ids) opens with none of the "
                    + ring.size() + " keys of this ring (current " + keyId() + ", retired " + retiredKeyIds()
                    + "): wrong key or altered data");
        }
        throw new IllegalArgumentException("not a gridctl ciphertext");
    }

    /**
     * The id of the ring's key that opens {@code sealed}, or null if none does: for a format-1 value,
     * which does not name its key, the only way to tell.
     */
    public String keyIdThatOpens(byte[] sealed) {
        for (Key k : ring) {
            boolean opens = sealed[0] == FORMAT ? k.named(sealed) && open(k, sealed, HEADER, true).isPresent()
                    : sealed[0] == LEGACY_FORMAT && open(k, sealed, 1, false).isPresent();
            if (opens) {
                return k.idHex;
            }
        }
        return null;
    }

    /** The plain text, or empty when this key does not open the value (wrong key or altered). */
    private static Optional<String> open(Key k, byte[] sealed, int nonceAt, boolean headerIsAad) {
        try {
            Cipher c = CIPHERS.get();
            c.init(Cipher.DECRYPT_MODE, k.encryption, new GCMParameterSpec(TAG_BITS, sealed, nonceAt, NONCE));
            if (headerIsAad) {
                c.updateAAD(sealed, 0, HEADER);
            }
            int body = nonceAt + NONCE;
            return Optional.of(new String(c.doFinal(sealed, body, sealed.length - body), StandardCharsets.UTF_8));
        } catch (javax.crypto.AEADBadTagException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("decryption failed", e);
        }
    }

    /** Keyed hash under the current key, for writing; callers normalise first (upper-case X in ID numbers, digits only in phones). */
    public byte[] hash(String normalised) {
        if (normalised == null) {
            return null;
        }
        return current.hash(normalised);
    }

    /**
     * Keyed hashes under every key of the ring, the current key's first: an exact lookup matches any
     * of them, so a row still under a retired key is found while a re-encryption runs.
     */
    public List<byte[]> hashes(String normalised) {
        return ring.stream().map(k -> k.hash(normalised)).toList();
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
