package cn.haizhu.grid.data.users;

import java.util.Locale;
import java.util.Optional;

/** The six roles of the command center (rows of {@code app_role}; permissions live there). */
public enum Role {
    ADMIN, COMMAND, DISPATCHER, WORKER, OFFICER, PEER;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> of(String code) {
        for (Role r : values()) {
            if (r.code().equals(code)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
