package cn.haizhu.grid.server.open311;

import cn.haizhu.grid.data.codes.IdNumber;
import cn.haizhu.grid.data.codes.PhoneNumber;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Free text of a case as the public view shows it: reporters write their phone number or ID number
 * into descriptions ("请联系我 13812345678"), and replies quote them. The public view masks them as
 * every other answer masks personal data (grid-data's codes: {@code 138****5678},
 * {@code 440105********1234}); the rest of the text is the reporter's own words, shown as text.
 */
final class PublicText {
    /** An 18-character ID number, a mobile number, or a fixed line with its area code, standing alone among digits. */
    private static final Pattern PERSONAL = Pattern.compile(
            "(?<![0-9])(?:(?<id>[1-9][0-9]{16}[0-9Xx])|(?<mobile>1[3-9][0-9]{9})|(?<line>0[1-9][0-9]{1,2}-?[0-9]{7,8}))(?![0-9])");

    private PublicText() {
    }

    /** {@code text} with its ID and phone numbers masked; null stays null. */
    static String mask(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = PERSONAL.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String masked = m.group("id") != null ? IdNumber.mask(m.group("id")) : PhoneNumber.mask(m.group());
            m.appendReplacement(out, Matcher.quoteReplacement(masked));
        }
        m.appendTail(out);
        return out.toString();
    }
}
