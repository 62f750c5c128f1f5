package cn.haizhu.grid.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Form fields come through {@link FormFields}, which gives back the CR Netty may keep (ImportsIT sends it so). */
class FormFieldsTest {
    static final Pattern DIRECT_READ = Pattern.compile("\\.formAttributes\\(\\)|\\.getFormAttribute\\(");

    @Test
    void aCrKeptFromTheBoundarysLineBreakIsDropped() {
        assertEquals("UTF-8", FormFields.withoutSplitCr("UTF-8\r"));
        assertEquals("true", FormFields.withoutSplitCr("true"));
        assertEquals("第一行\r\n第二行\r\n", FormFields.withoutSplitCr("第一行\r\n第二行\r\n\r"), "only the one CR");
        assertEquals("", FormFields.withoutSplitCr("\r"));
        assertNull(FormFields.withoutSplitCr(null));
    }

    @Test
    void noHandlerReadsAFormFieldPastFormFields() throws IOException {
        assertEquals(List.of(), ParamsOnlyTest.linesMatching(DIRECT_READ, Path.of("http", "FormFields.java")),
                "read form fields with FormFields");
        assertTrue(DIRECT_READ.matcher("var form = ctx.request().formAttributes();").find());
    }
}
