package cn.haizhu.grid.data.codes;

import java.util.Locale;
import java.util.Optional;

/**
 * An enum whose code, stored in the database and sent over the API, is its name in lower case
 * ({@code REQUEST_EXTENSION} → {@code request_extension}); {@link #of} finds a constant by its code.
 */
public interface Coded {
    /** The enum constant's name (every enum has it). */
    String name();

    default String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} whose code is {@code code}, or empty (an unknown or null code). */
    static <E extends Enum<E> & Coded> Optional<E> of(Class<E> type, String code) {
        if (code == null) {
            return Optional.empty();
        }
        for (E e : type.getEnumConstants()) {
            if (e.code().equals(code)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
