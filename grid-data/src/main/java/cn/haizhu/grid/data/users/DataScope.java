package cn.haizhu.grid.data.users;

import java.util.Arrays;
import java.util.List;

/**
 * What part of the district a user may see: the whole district, one street, or a set of grids.
 * Row-level security in PostgreSQL enforces it (see V1__foundation.sql, gridctl_scope_allows);
 * request paths hand it over with {@link #kind()} and {@link #code()}.
 */
public record DataScope(String kind, String code) {
    public static final String DISTRICT = "district";
    public static final String STREET = "street";
    public static final String GRIDS = "grids";

    public DataScope {
        boolean ok = switch (kind) {
            case DISTRICT -> code.matches("\\d{6}");
            case STREET -> code.matches("\\d{9}");
            case GRIDS -> code.matches("\\d{14}(,\\d{14})*");
            default -> false;
        };
        if (!ok) {
            throw new IllegalArgumentException("not a data scope: " + kind + " " + code);
        }
    }

    public static DataScope district(String code) {
        return new DataScope(DISTRICT, code);
    }

    public static DataScope street(String code) {
        return new DataScope(STREET, code);
    }

    public static DataScope grids(List<String> codes) {
        return new DataScope(GRIDS, String.join(",", codes));
    }

    /** Whether a record of this street and grid is in scope: the rule gridctl_scope_allows() applies in SQL. */
    public boolean allows(String streetCode, String gridCode) {
        return switch (kind) {
            case DISTRICT -> true;
            case STREET -> code.equals(streetCode);
            default -> gridCode != null && gridCodes().contains(gridCode);
        };
    }

    public List<String> gridCodes() {
        return GRIDS.equals(kind) ? Arrays.asList(code.split(",")) : List.of();
    }
}
