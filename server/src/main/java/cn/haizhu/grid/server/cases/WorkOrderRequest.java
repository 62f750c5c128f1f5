package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.data.cases.CategoryCatalogue;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A work order from a level above (派单) as its platform sends it: {@code POST /api/v1/cases/work-orders}.
 * The case itself in the shape {@code POST /api/v1/cases} takes (source 12345 unless it says
 * otherwise), and where it came from.
 *
 * @param originNode the admin code of the level that sent it (the city, 440100)
 * @param orderNumber the order's number there: a second order with it is the same order
 * @param deadline the origin's deadline (办结时限), which holds here
 * @param timeLimit the origin's time-limit rule as it states it ("13个工作日"), or null
 * @param intake the case: category, urgency, title, description, address, point, photos
 */
record WorkOrderRequest(String originNode, String orderNumber, Instant deadline, String timeLimit, IntakeRequest intake) {
    private static final Pattern NODE = Pattern.compile("\\d{6}|\\d{9}");
    /** An order number: what 12345 platforms print, letters, digits and separators. */
    private static final Pattern ORDER_NUMBER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_./-]{0,63}");

    static WorkOrderRequest parse(JsonObject json, CategoryCatalogue catalogue) {
        JsonObject copy = json.copy();
        if (!copy.containsKey("source")) {
            copy.put("source", "hotline_12345");
        }
        Body body = Body.of(copy);
        String origin = body.string("originNode", true, 9);
        if (origin != null && !NODE.matcher(origin).matches()) {
            body.problem("originNode", "must be the admin code of a city, district or street (6 or 9 digits)");
        }
        String number = body.string("orderNumber", true, 64);
        if (number != null && !ORDER_NUMBER.matcher(number).matches()) {
            body.problem("orderNumber", "must be letters, digits and . _ / - (at most 64)");
        }
        Instant deadline = body.instant("deadline", true);
        String timeLimit = body.string("timeLimit", false, 100);
        IntakeRequest intake = IntakeRequest.parse(body, catalogue);   // checks every field, these included
        return new WorkOrderRequest(origin, number, deadline, timeLimit, intake);
    }

    /** A digest of the whole order: equal for a resent order, different for another one under a reused number. */
    String hash() {
        return IntakeRequest.digest(String.join("\u001f", intake.hash(), originNode, orderNumber, deadline.toString(),
                String.valueOf(timeLimit)));
    }
}
