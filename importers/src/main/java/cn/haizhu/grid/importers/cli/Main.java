package cn.haizhu.grid.importers.cli;

import cn.haizhu.grid.data.config.Gridctl;
import cn.haizhu.grid.data.db.DbCommand;
import cn.haizhu.grid.importers.demo.DemoCasesCommand;
import cn.haizhu.grid.importers.demo.GenerateCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The importers' jar ({@code importers/target/gridctl-importers.jar}) behind {@code ./gridctl import},
 * {@code generate}, {@code demo-cases} and {@code db}: everything that fills the database runs
 * without the server's classes, so an import needs neither the server nor its build.
 */
@Command(name = "gridctl", mixinStandardHelpOptions = true,
        description = "Haizhu grid command center: imports, the demo data, the embedded database",
        subcommands = {GenerateCommand.class, DemoCasesCommand.class, DbCommand.class})
public final class Main implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Main()).addSubcommand("import", new ImportCommand(Gridctl::config));
        System.exit(Gridctl.execute(cli, args));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);   // with import, which is added by hand (it takes the configuration)
        return 0;
    }
}
