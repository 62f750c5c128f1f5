package cn.haizhu.grid.data.sync;

import cn.haizhu.grid.data.codes.Labelled;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The level of a platform in the three-level exchange (市、区、街), read from its admin code
 * (GB/T 2260, GB/T 10114): a city is 6 digits ending in 00 (Guangzhou 440100), a district any other
 * 6 digits (Haizhu 440105), a street 9 digits (440105001). The same product runs at every level;
 * the level decides what the node owns and whom it talks to (docs/SYNC.md).
 */
public enum NodeLevel implements Labelled {
    CITY("市级平台", "city platform"),
    DISTRICT("区级平台", "district platform"),
    STREET("街道平台", "street platform");

    private static final Pattern CODE = Pattern.compile("\\d{6}|\\d{9}");

    private final Label label;

    NodeLevel(String zh, String en) {
        this.label = new Label(zh, en);
    }

    /** The level of the node with admin code {@code code}, or empty when it is not a city, district or street code. */
    public static Optional<NodeLevel> ofCode(String code) {
        if (code == null || !CODE.matcher(code).matches() || code.startsWith("00") || code.endsWith("0000")) {
            return Optional.empty();
        }
        if (code.length() == 9) {
            return code.endsWith("000") ? Optional.empty() : Optional.of(STREET);
        }
        return Optional.of(code.endsWith("00") ? CITY : DISTRICT);
    }

    /** The level a peer directly above a node of this level has, or empty for a city (the top of the exchange). */
    public Optional<NodeLevel> upstream() {
        return switch (this) {
            case STREET -> Optional.of(DISTRICT);
            case DISTRICT -> Optional.of(CITY);
            case CITY -> Optional.empty();
        };
    }

    /** The code of the node directly above the node {@code code} of this level (its district, its city), or empty for a city. */
    public Optional<String> upstreamCode(String code) {
        return switch (this) {
            case STREET -> Optional.of(code.substring(0, 6));
            case DISTRICT -> Optional.of(code.substring(0, 4) + "00");
            case CITY -> Optional.empty();
        };
    }

    @Override
    public Label label() {
        return label;
    }
}
