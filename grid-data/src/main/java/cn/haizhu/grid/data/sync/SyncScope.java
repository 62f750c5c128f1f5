package cn.haizhu.grid.data.sync;

import cn.haizhu.grid.data.users.DataScope;

/**
 * What a peer may read and write at this node (docs/SYNC.md): a street peer its street
 * ({@code street:440105001}), a district peer at a city its district ({@code district:440105}), the
 * upstream this node's whole scope. A record is in the scope when its street lies in it; the
 * district's own outline (an area whose "street" is the district's code) lies in every street of it.
 */
public record SyncScope(String kind, String code) {
    public SyncScope {
        new DataScope(kind, code);   // district: 6 digits, street: 9 (a set of grids is no peer's scope)
        if (DataScope.GRIDS.equals(kind)) {
            throw new IllegalArgumentException("a peer's scope is a district or a street, not grids");
        }
    }

    /** Whether a record of street {@code streetCode} (the district code for the district's outline) lies in this scope. */
    public boolean covers(String streetCode) {
        return streetCode != null && (streetCode.startsWith(code) || code.startsWith(streetCode));
    }

    /** The data scope row-level security applies for this peer's requests. */
    public DataScope dataScope() {
        return new DataScope(kind, code);
    }

    /** Text form {@code kind:code}, as docs/SYNC.md and ./gridctl sync peer list show it. */
    @Override
    public String toString() {
        return kind + ":" + code;
    }
}
