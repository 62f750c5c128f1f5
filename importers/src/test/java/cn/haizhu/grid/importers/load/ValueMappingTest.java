package cn.haizhu.grid.importers.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.importers.cli.ImportCommand;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ValueMappingTest {
    @Test
    void entriesRepeatAndHoldSeveralPairs() {
        ValueMapping m = ValueMapping.parse(List.of("use=商住:住宅,车棚:其他", "use=门头：商业金融信息", "household_type=常住:户籍"));
        assertEquals(Map.of("use", Map.of("商住", "住宅", "车棚", "其他", "门头", "商业金融信息"),
                "household_type", Map.of("常住", "户籍")), m.byField());
        assertEquals("{\"use\":{", m.json().substring(0, 8));
    }

    @Test
    void thePagesTextTakesOneEntryALine() {
        assertEquals(Map.of("use", Map.of("商住", "住宅", "仓库", "工业交通仓储")),
                ValueMapping.parse(List.of("use=商住:住宅\r\nuse=仓库:工业交通仓储\n")).byField());
        assertTrue(ValueMapping.parse(List.of("", " ")).isEmpty());
    }

    @Test
    void aMalformedEntryIsRefusedNamingIt() {
        var noField = assertThrows(IllegalArgumentException.class, () -> ValueMapping.parse(List.of("商住:住宅")));
        assertTrue(noField.getMessage().contains("got '商住:住宅'"), noField.getMessage());
        var noPair = assertThrows(IllegalArgumentException.class, () -> ValueMapping.parse(List.of("use=商住")));
        assertTrue(noPair.getMessage().contains("got '商住'"), noPair.getMessage());
    }

    @Test
    void theImportCommandTakesMapValuesAgainAndAgain() {
        ImportCommand command = new ImportCommand(() -> { throw new AssertionError("parsing reads no configuration"); });
        CommandLine.ParseResult parsed = new CommandLine(command).parseArgs("houses", "房屋.csv",
                "--map-values", "use=商住:住宅", "--map-values", "use=车棚:其他");
        assertEquals(List.of("use=商住:住宅", "use=车棚:其他"), parsed.matchedOptionValue("--map-values", List.of()));
    }
}
