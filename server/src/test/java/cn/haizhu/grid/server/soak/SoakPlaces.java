package cn.haizhu.grid.server.soak;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.users.DataScope;
import cn.haizhu.grid.data.users.Role;
import cn.haizhu.grid.data.users.UserAccounts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Who and where the soak works: the tablets' logins, one grid worker each in grids spread over the
 * district, and the points cases are reported at. The logins are made with the product's own account
 * code (what {@code gridctl user add NAME --role worker --scope grids:CODE} runs) and linked to their
 * grid's worker as the demo links its worker login; a rerun on the same data finds them there.
 */
final class SoakPlaces {
    private static final String TABLET_GRIDS = SqlFile.load(SoakPlaces.class, "tablet_grids");
    private static final String ACCOUNT_EXISTS = SqlFile.load(SoakPlaces.class, "account_exists");
    private static final String LINK_WORKER = SqlFile.load(SoakPlaces.class, "link_worker");
    private static final String TABLET_POINTS = SqlFile.load(SoakPlaces.class, "tablet_points");
    private static final String DISTRICT_POINTS = SqlFile.load(SoakPlaces.class, "district_points");

    /** A place: lon, lat (WGS 84). */
    record Point(double lon, double lat) {
    }

    /** One tablet: its login and the houses of its grid. */
    record Tablet(String username, String grid, List<Point> houses) {
    }

    final List<Tablet> tablets;
    final List<Point> district;

    private SoakPlaces(List<Tablet> tablets, List<Point> district) {
        this.tablets = tablets;
        this.district = district;
    }

    static SoakPlaces prepare(Connection owner, int count, String password) throws SQLException {
        List<String> grids = new ArrayList<>();
        try (PreparedStatement ps = owner.prepareStatement(TABLET_GRIDS)) {
            ps.setInt(1, count);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    grids.add(rs.getString(1));
                }
            }
        }
        if (grids.size() < count) {
            throw new IllegalStateException("only " + grids.size() + " grids with houses and a free worker, " + count + " wanted");
        }
        UserAccounts accounts = new UserAccounts(owner);
        Map<String, List<Point>> houses = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < grids.size(); i++) {
            // named by its grid: a rerun with another count finds each grid's login linked to that grid only
            String name = "soak-" + grids.get(i);
            names.add(name);
            boolean exists;
            try (PreparedStatement ps = owner.prepareStatement(ACCOUNT_EXISTS)) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    exists = rs.getBoolean(1);
                }
            }
            if (!exists) {
                accounts.add(name, String.format("压测网格员%02d", i + 1), Role.WORKER, new DataScope("grids", grids.get(i)), password);
            }
            try (PreparedStatement ps = owner.prepareStatement(LINK_WORKER)) {
                ps.setString(1, name);
                ps.setString(2, grids.get(i));
                ps.executeUpdate();
            }
            houses.put(grids.get(i), new ArrayList<>());
        }
        try (PreparedStatement ps = owner.prepareStatement(TABLET_POINTS)) {
            ps.setArray(1, owner.createArrayOf("text", grids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    houses.get(rs.getString(1)).add(new Point(rs.getDouble(2), rs.getDouble(3)));
                }
            }
        }
        List<Tablet> tablets = new ArrayList<>();
        for (int i = 0; i < grids.size(); i++) {
            tablets.add(new Tablet(names.get(i), grids.get(i), List.copyOf(houses.get(grids.get(i)))));
        }
        List<Point> district = new ArrayList<>();
        try (PreparedStatement ps = owner.prepareStatement(DISTRICT_POINTS); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                district.add(new Point(rs.getDouble(1), rs.getDouble(2)));
            }
        }
        return new SoakPlaces(List.copyOf(tablets), List.copyOf(district));
    }

    static <T> T any(List<T> list, SplittableRandom random) {
        return list.get(random.nextInt(list.size()));
    }
}
