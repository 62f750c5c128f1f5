package cn.haizhu.grid.server.people;

import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.http.ApiError;
import java.util.Optional;

/**
 * Which view of persons a reader gets, and why (查询事由): the masked view unless the reader asked for
 * the unmasked one, may have it (pii.read) and said why. Every door to persons decides it here: the
 * persons API and the persons export over HTTP ({@link #asked}), {@code ./gridctl export persons} at the
 * command line ({@link #operator}). What each view shows is {@link PersonView}'s.
 *
 * @param unmasked whether ID numbers and phones leave in full (and birth dates and tags at all)
 * @param purpose  the purpose stated, stripped (null when none was given), kept in the audit
 */
public record Disclosure(boolean unmasked, String purpose) {
    public static final Disclosure MASKED = new Disclosure(false, null);
    static final int PURPOSE_MIN = 2;
    static final int PURPOSE_MAX = 200;

    /**
     * A caller's request over HTTP: {@code unmask} needs pii.read (else 403); a purpose is required
     * for the unmasked view and, with {@code purposeRequired}, always (else 400 missing_purpose); a
     * purpose is 2–200 characters on one line (else 400 invalid_purpose).
     */
    public static Disclosure asked(Caller caller, boolean unmask, String purpose, boolean purposeRequired) {
        if (unmask && !caller.can("pii.read")) {
            throw ApiError.forbidden("your role may not read personal data unmasked (needs pii.read)");
        }
        String p = purpose == null ? null : purpose.strip();
        if ((purposeRequired || unmask) && (p == null || p.length() < PURPOSE_MIN)) {
            throw ApiError.badRequest("missing_purpose", "say why (purpose, 查询事由): an exact lookup or an unmasked read"
                    + " is recorded with its purpose");
        }
        if (problem(p).isPresent()) {
            throw ApiError.badRequest("invalid_purpose", problem(p).get());
        }
        return new Disclosure(unmask, p);
    }

    /**
     * The node's operator at the command line, who holds the key ring anyway: the unmasked view needs
     * no permission but still a purpose, which the audit keeps. A refusal is an IllegalStateException
     * (the command line's one refusal, exit code 2).
     */
    public static Disclosure operator(boolean unmask, String purpose) {
        String p = purpose == null ? null : purpose.strip();
        if (unmask && (p == null || p.length() < PURPOSE_MIN)) {
            throw new IllegalStateException("--unmask needs --purpose (查询事由, " + PURPOSE_MIN + "–" + PURPOSE_MAX
                    + " characters): the audit records why personal data left in full");
        }
        problem(p).ifPresent(m -> {
            throw new IllegalStateException("--" + m);
        });
        return new Disclosure(unmask, p);
    }

    /** What is wrong with a stated purpose, if anything (null is no purpose, and nothing wrong). */
    private static Optional<String> problem(String purpose) {
        if (purpose != null && (purpose.length() > PURPOSE_MAX || purpose.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f))) {
            return Optional.of("purpose is at most " + PURPOSE_MAX + " characters of text on one line");
        }
        return Optional.empty();
    }
}
