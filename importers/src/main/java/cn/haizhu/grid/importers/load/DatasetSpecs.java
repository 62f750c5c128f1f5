package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.importers.load.DatasetSpec.AroundMerge;
import cn.haizhu.grid.importers.load.DatasetSpec.Column;
import cn.haizhu.grid.importers.load.DatasetSpec.FirstPass;
import cn.haizhu.grid.importers.load.DatasetSpec.Key;
import cn.haizhu.grid.importers.load.DatasetSpec.Merge;
import cn.haizhu.grid.importers.load.DatasetSpec.StagedCheck;
import java.util.List;
import java.util.Map;

/**
 * Every dataset the platform loads, as data: the unit grids, houses, persons and enterprises an officer
 * imports, and the admin areas of the reference data. To add a dataset, add its spec here (and its row
 * checks beside the others).
 */
public final class DatasetSpecs {
    private DatasetSpecs() {
    }

    /** Houses (房屋): code, standard address, building/unit/floor/room, use, location; grid by point-in-polygon. */
    public static final DatasetSpec HOUSES = new DatasetSpec("houses", "house",
            Column.of("code text", "address text", "building text", "unit text", "floor smallint", "room text",
                    "use text", "geom geometry(Point, 4326)"),
            Key.of("code"), Placement.POINT_IN_GRID,
            Merge.comparing("address", "building", "unit", "floor", "room", "use", "geom", "grid_code"),
            HouseRows::write,
            new FirstPass(Column.of("code text", "geom geometry(Point, 4326)"), HouseRows::writeKey, HouseRows::digitKey),
            StagedCheck.NONE, AroundMerge.NONE);

    /** Enterprises (法人单位), keyed by unified social credit code (GB 32100); grid by point-in-polygon. */
    public static final DatasetSpec ENTERPRISES = new DatasetSpec("enterprises", "enterprise",
            Column.of("credit_code text", "name text", "industry text", "legal_person text", "address text",
                    "geom geometry(Point, 4326)"),
            Key.of("credit_code"), Placement.POINT_IN_GRID,
            Merge.comparing("name", "industry", "legal_person", "address", "geom", "grid_code"),
            EnterpriseRows::write,
            new FirstPass(Column.of("credit_code text", "geom geometry(Point, 4326)"), EnterpriseRows::writeKey, null),
            StagedCheck.NONE, AroundMerge.NONE);

    /**
     * Unit grids (单元网格), keyed by their 14-digit code: invalid polygons repaired where the repair is
     * unambiguous, and the houses and enterprises under a reshaped grid placed again. Grids are upserted,
     * never deleted (a grid missing from the file stays).
     */
    public static final DatasetSpec GRIDS = new DatasetSpec("grids", "grid",
            Column.of("code text", "name text", "community_code text", "street_code text", "geom geometry(MultiPolygon, 4326)"),
            Key.of("code"), Placement.OWN_CODE,
            Merge.comparing("name", "community_code", "street_code", "geom"),
            GridRows::write, null, PolygonRepair::repairOrReject, new GridReplacement(HOUSES, ENTERPRISES));

    /**
     * Persons (实有人口), keyed by the keyed hash of their document's number (an ID number or another
     * {@link cn.haizhu.grid.data.codes.IdDocument}, shown masked), placed by their house;
     * ID numbers and phones encrypted with {@code cipher}. Changes are judged on the keyed hashes and plain
     * columns: a ciphertext differs on every import (random nonce), so the ID number's is kept and the
     * phone's replaced only when its hash changed.
     */
    public static DatasetSpec persons(PersonalDataCipher cipher) {
        PersonRows rows = new PersonRows(cipher);
        return new DatasetSpec("persons", "person",
                Column.of("id_number_enc bytea", "id_number_hash bytea", "id_number_masked text", "id_type text", "name text",
                        "gender char(1)", "birth_date date", "household_type text", "phone_enc bytea", "phone_hash bytea",
                        "phone_masked text", "tags text[]", "house_code text"),
                new Key("id_number_hash", "id_number_masked", "id"), Placement.HOUSE_CODE,
                new Merge(List.of("id_type", "name", "gender", "birth_date", "household_type", "phone_hash", "tags", "house_code",
                        "grid_code"), List.of("id_number_enc", "id_number_masked"), Map.of("phone_enc", "phone_hash")),
                rows::write,
                new FirstPass(Column.of("id_number_hash bytea", "id_number_masked text", "house_code text"), rows::writeKey, null),
                StagedCheck.NONE, AroundMerge.NONE);
    }

    /** The spec of an importable dataset; persons encrypt under {@code cipher}. */
    public static DatasetSpec of(Dataset dataset, PersonalDataCipher cipher) {
        return switch (dataset) {
            case GRIDS -> GRIDS;
            case HOUSES -> HOUSES;
            case PERSONS -> persons(cipher);
            case ENTERPRISES -> ENTERPRISES;
        };
    }
}
