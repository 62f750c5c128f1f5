package cn.haizhu.grid.importers.cli;

import cn.haizhu.grid.data.backup.BackupCommand;
import cn.haizhu.grid.data.backup.RestoreCommand;
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
 * {@code generate}, {@code demo-cases}, {@code db}, {@code backup} and {@code restore}: everything that
 * fills the database, or keeps and brings it back, runs without the server's classes, so an import or
 * a restore needs neither the server nor its build.
 */
@Command(name = "gridctl", mixinStandardHelpOptions = true,
        description = "Haizhu grid command center: imports, the demo data, the embedded database",
        subcommands = {GenerateCommand.class, DemoCasesCommand.class, DbCommand.class})
public final class Main implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Main()).addSubcommand("import", new ImportCommand(Gridctl::config))
                .addSubcommand("backup", BackupCommand.create(Gridctl::config))
                .addSubcommand("restore", new RestoreCommand(Gridctl::config));
        System.exit(Gridctl.execute(cli, args));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);   // with import, backup and restore, which are added by hand (they take the configuration)
        return 0;
    }
}
