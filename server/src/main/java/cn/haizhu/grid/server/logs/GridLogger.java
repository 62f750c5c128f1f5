package cn.haizhu.grid.server.logs;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.simple.SimpleLogger;

/**
 * An slf4j-simple logger (its levels, its text lines) that writes one JSON object a line instead while
 * JSON logs are on: {@code time}, {@code level}, {@code logger}, {@code message}, the event's key-value
 * pairs as fields of their own, and {@code error} and {@code stack} for a throwable. Lines go where
 * slf4j-simple's go (standard error), each whole in one write.
 */
final class GridLogger extends SimpleLogger implements org.slf4j.spi.LoggingEventAware {
    GridLogger(String name) {
        super(name);
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args, Throwable t) {
        if (GridLogProvider.json()) {
            write(level, MessageFormatter.basicArrayFormat(pattern, args), null, t);
        } else {
            super.handleNormalizedLoggingCall(level, marker, pattern, args, t);
        }
    }

    /** An event of the fluent API ({@code atInfo().addKeyValue(…)}): its pairs become fields, or lead the text line. */
    @Override
    public void log(LoggingEvent event) {
        if (!isLevelEnabled(event.getLevel().toInt())) {
            return;
        }
        if (GridLogProvider.json()) {
            write(event.getLevel(), MessageFormatter.basicArrayFormat(event.getMessage(), event.getArgumentArray()),
                    event.getKeyValuePairs(), event.getThrowable());
            return;
        }
        StringBuilder text = new StringBuilder();
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair kv : event.getKeyValuePairs()) {
                text.append(kv.key).append('=').append(kv.value).append(' ');
            }
        }
        text.append(event.getMessage());
        super.handleNormalizedLoggingCall(event.getLevel(), null, text.toString(), event.getArgumentArray(), event.getThrowable());
    }

    private void write(Level level, String message, java.util.List<KeyValuePair> fields, Throwable t) {
        JsonObject line = new JsonObject().put("time", Instant.now().toString()).put("level", level.name())
                .put("logger", getName()).put("message", message);
        if (fields != null) {
            for (KeyValuePair kv : fields) {
                line.put(kv.key, kv.value instanceof Number || kv.value instanceof Boolean || kv.value == null ? kv.value : String.valueOf(kv.value));
            }
        }
        if (t != null) {
            StringWriter stack = new StringWriter();
            t.printStackTrace(new PrintWriter(stack));
            line.put("error", t.toString()).put("stack", stack.toString());
        }
        System.err.println(line.encode());
    }
}
