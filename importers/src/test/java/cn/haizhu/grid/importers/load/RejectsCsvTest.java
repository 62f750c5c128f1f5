package cn.haizhu.grid.importers.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The cells of the rejects CSV an officer opens in Excel or WPS: never a formula, always one cell. */
class RejectsCsvTest {

    @Test
    void everyFormulaStartOwaspListsIsMadeText() {
        assertEquals("'=1+1", ImportJob.csv("=1+1"));
        assertEquals("'+86 138", ImportJob.csv("+86 138"));
        assertEquals("'-5", ImportJob.csv("-5"));
        assertEquals("'@SUM(A1)", ImportJob.csv("@SUM(A1)"));
        assertEquals("\"'\t=HYPERLINK(\"\"http://x\"\")\"", ImportJob.csv("\t=HYPERLINK(\"http://x\")"));
        assertEquals("\"'\r=cmd|' /C calc'!A0\"", ImportJob.csv("\r=cmd|' /C calc'!A0"));
        assertEquals("'\t", ImportJob.csv("\t"));
    }

    @Test
    void plainTextStaysAsWrittenAndSpecialCharactersAreQuoted() {
        assertEquals("", ImportJob.csv(null));
        assertEquals("", ImportJob.csv(""));
        assertEquals("海珠区 江南中街道", ImportJob.csv("海珠区 江南中街道"));
        assertEquals("a=b", ImportJob.csv("a=b"));
        assertEquals("\"a,b\"", ImportJob.csv("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", ImportJob.csv("say \"hi\""));
        assertEquals("\"two\nlines\"", ImportJob.csv("two\nlines"));
    }
}
