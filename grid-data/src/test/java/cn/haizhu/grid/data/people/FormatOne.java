package cn.haizhu.grid.data.people;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Values sealed the way every installation stored them before keys had ids (format 1:
 * {@code 0x01 | nonce | ciphertext+tag}, no associated data), written here independently of the
 * cipher, as a database from before key rotation holds them.
 */
public final class FormatOne {
    private FormatOne() {
    }

    public static byte[] seal(String base64Key, String plain) throws Exception {
        Mac derive = Mac.getInstance("HmacSHA256");
        derive.init(new SecretKeySpec(Base64.getDecoder().decode(base64Key), "HmacSHA256"));
        byte[] key = derive.doFinal("gridctl/pii/encrypt".getBytes(StandardCharsets.UTF_8));
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        byte[] body = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.allocate(1 + 12 + body.length).put((byte) 1).put(nonce).put(body).array();
    }
}
