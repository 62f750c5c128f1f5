package cn.haizhu.grid.server.http;

/** Revalidation by entity tag (RFC 9110 §13.1.2). */
public final class ETags {
    private ETags() {
    }

    /** If-None-Match: "*", one tag or a list; weak tags compare by their value (the weak comparison a GET uses). */
    public static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String t = candidate.trim();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals("*") || t.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
