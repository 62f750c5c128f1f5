package cn.haizhu.grid.server.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FailuresTest {
    @Test
    void aPathWithABrokenEscapeOrBytesThatAreNotUtf8DoesNotDecode() {
        assertTrue(Failures.decodes("/api/v1/areas/440105001"));
        assertTrue(Failures.decodes("/api/v1/search%3Fq%3D%E8%B5%A4"));
        assertFalse(Failures.decodes("/api/v1/%"));
        assertFalse(Failures.decodes("/api/v1/%4"));
        assertFalse(Failures.decodes("/api/v1/%+1x"));
        assertFalse(Failures.decodes("/api/v1/%FF%FE"), "not UTF-8");
        assertFalse(Failures.decodes("/api/v1/%C3%28"), "a broken two-byte sequence");
    }

    @Test
    void anUploadCutOffMidStreamIsTheClientsFaultAndAnythingElseIsNot() {
        assertTrue(Failures.uploadCutShort(new IllegalStateException("File handle is closed")));
        assertTrue(Failures.uploadCutShort(new RuntimeException("wrapped", new java.io.IOException("Streaming aborted"))));
        assertTrue(Failures.uploadCutShort(new io.vertx.core.http.StreamResetException(8)));
        assertFalse(Failures.uploadCutShort(new IllegalStateException("a bug")));
        assertFalse(Failures.uploadCutShort(null));
    }
}
