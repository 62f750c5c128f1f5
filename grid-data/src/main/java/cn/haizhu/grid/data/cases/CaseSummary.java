package cn.haizhu.grid.data.cases;

import java.time.Duration;

/**
 * What the KPIs need to know about one case over a reporting period, as the data layer works it
 * out from the case and its history. Build one with {@link #filedCase()} and the withers:
 * {@code CaseSummary.filedCase().andSignedAfter(Duration.ofMinutes(20)).andClosed(true)}.
 *
 * @param filed 立案: filed, or handled on the spot and sent for checking
 * @param dispatched 派遣: dispatched at least once
 * @param suspended 缓办: in SUSPENDED at the end of the period; such a case leaves every KPI
 * @param due 应结案: should be closed by the end of the period (its deadline has passed, or it is closed)
 * @param closed 结案: CLOSED or EVALUATED
 * @param closedOnTime 按期结案: closed, and its clock finished within the limit ({@link CaseClock#finishedOnTime})
 * @param checked 核查: at least one check decided (passed or failed)
 * @param reworked 返工: at least one failed check
 * @param extended 延期: at least one extension granted
 * @param timeToSign working time from the first dispatch to the first 签收, or null if never signed
 */
public record CaseSummary(boolean filed, boolean dispatched, boolean suspended, boolean due, boolean closed,
        boolean closedOnTime, boolean checked, boolean reworked, boolean extended, Duration timeToSign) {

    public CaseSummary {
        require(!closedOnTime || closed, "closed on time but not closed");
        require(!closed || filed, "closed but not filed");
        require(!closed || due, "closed but not due (a closed case is always due)");
        require(!dispatched || filed, "dispatched but not filed");
        require(!reworked || checked, "reworked but not checked");
        require(!extended || dispatched, "extended but not dispatched");
        require(timeToSign == null || dispatched, "signed but not dispatched");
        require(timeToSign == null || !timeToSign.isNegative(), "negative time to sign");
    }

    /** A filed case and nothing more yet. */
    public static CaseSummary filedCase() {
        return new CaseSummary(true, false, false, false, false, false, false, false, false, null);
    }

    public CaseSummary andDispatched() {
        return new CaseSummary(filed, true, suspended, due, closed, closedOnTime, checked, reworked, extended, timeToSign);
    }

    /** Dispatched and signed for after {@code workingTime}. */
    public CaseSummary andSignedAfter(Duration workingTime) {
        return new CaseSummary(filed, true, suspended, due, closed, closedOnTime, checked, reworked, extended, workingTime);
    }

    public CaseSummary andSuspended() {
        return new CaseSummary(filed, dispatched, true, due, closed, closedOnTime, checked, reworked, extended, timeToSign);
    }

    /** Its deadline has passed by the end of the period. */
    public CaseSummary andDue() {
        return new CaseSummary(filed, dispatched, suspended, true, closed, closedOnTime, checked, reworked, extended, timeToSign);
    }

    /** Checked (passed) and closed, on time or not; a closed case is due. */
    public CaseSummary andClosed(boolean onTime) {
        return new CaseSummary(filed, dispatched, suspended, true, true, onTime, true, reworked, extended, timeToSign);
    }

    /** Failed a check at least once (and so was checked). */
    public CaseSummary andReworked() {
        return new CaseSummary(filed, dispatched, suspended, due, closed, closedOnTime, true, true, extended, timeToSign);
    }

    /** Granted an extension at least once (and so was dispatched). */
    public CaseSummary andExtended() {
        return new CaseSummary(filed, true, suspended, due, closed, closedOnTime, checked, reworked, true, timeToSign);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("inconsistent case summary: " + message);
        }
    }
}
