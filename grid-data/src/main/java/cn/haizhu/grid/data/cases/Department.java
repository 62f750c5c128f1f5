package cn.haizhu.grid.data.cases;

/**
 * A department that handles cases (责任部门), as the category catalogue names it.
 *
 * @param code a short upper-case code (CGJ, SWJ, JD …), the key routing and KPIs use
 */
public record Department(String code, String zh, String en) {
    /** The code of 属地街道办事处: the street office of the place where the case lies. */
    public static final String LOCAL_STREET = "JD";

    /** True for 属地街道: the routing, not the catalogue, decides which street. */
    public boolean isLocalStreet() {
        return LOCAL_STREET.equals(code);
    }
}
