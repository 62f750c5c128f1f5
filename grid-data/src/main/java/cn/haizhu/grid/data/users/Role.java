package cn.haizhu.grid.data.users;

import cn.haizhu.grid.data.codes.Coded;
import java.util.Optional;

/** The seven roles of the command center (rows of {@code app_role}; permissions live there). */
public enum Role implements Coded {
    ADMIN, COMMAND, DISPATCHER, WORKER, OFFICER, PEER, OPS;

    public static Optional<Role> of(String code) {
        return Coded.of(Role.class, code);
    }
}
