package cn.haizhu.grid.data.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.sync.PeerRelation.Direction;
import org.junit.jupiter.api.Test;

class PeerRelationTest {
    @Test
    void neighboursAndTheScopeEachMayReadAndWrite() {
        PeerRelation street = PeerRelation.between("440105", "440105001").orElseThrow();
        assertEquals(Direction.DOWN, street.direction());
        assertEquals("street:440105001", street.scope().toString());
        PeerRelation district = PeerRelation.between("440105001", "440105").orElseThrow();
        assertEquals(Direction.UP, district.direction());
        assertEquals("street:440105001", district.scope().toString(), "the upstream reads this node's whole scope");
        assertEquals("district:440105", PeerRelation.between("440100", "440105").orElseThrow().scope().toString());
        assertEquals(Direction.UP, PeerRelation.between("440105", "440100").orElseThrow().direction());
    }

    @Test
    void codesThatAreNotNeighboursAreNoPeers() {
        assertTrue(PeerRelation.between("440105", "440106001").isEmpty(), "another district's street");
        assertTrue(PeerRelation.between("440105001", "440105002").isEmpty(), "two streets");
        assertTrue(PeerRelation.between("440100", "440105001").isEmpty(), "a city and a street");
        assertTrue(PeerRelation.between("440105", "oops").isEmpty());
    }

    @Test
    void aScopeCoversItsStreetsAndTheDistrictOutlineOnly() {
        SyncScope street = new SyncScope("street", "440105001");
        assertTrue(street.covers("440105001"));
        assertTrue(street.covers("440105"), "the district's outline is every street's orientation");
        assertFalse(street.covers("440105002"));
        assertFalse(street.covers(null));
        SyncScope district = new SyncScope("district", "440105");
        assertTrue(district.covers("440105017"));
        assertFalse(district.covers("440106001"));
        assertThrows(IllegalArgumentException.class, () -> new SyncScope("grids", "44010500110101"));
    }

    @Test
    void recordsTravelOverTlsOrOnLoopbackOnly() {
        assertEquals("https://street-1.example:8443", PeerUrls.check("https://street-1.example:8443/"));
        assertEquals("http://127.0.0.1:8081", PeerUrls.check("http://127.0.0.1:8081"));
        assertEquals("http://localhost:8081", PeerUrls.check("http://localhost:8081"));
        assertThrows(IllegalArgumentException.class, () -> PeerUrls.check("http://street-1.example"));
        assertThrows(IllegalArgumentException.class, () -> PeerUrls.check("http://10.0.0.5:8080"));
        assertThrows(IllegalArgumentException.class, () -> PeerUrls.check("ftp://localhost"));
        assertThrows(IllegalArgumentException.class, () -> PeerUrls.check("https://user:pw@host"));
        assertThrows(IllegalArgumentException.class, () -> PeerUrls.check("not a url"));
    }
}
