package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.Map;

/**
 * An import in a process of its own, for {@link FirstLoadIT} to kill with SIGKILL: imports the
 * persons file {@code args[4]} and, once half of it is written, says so on stdout and waits on
 * stdin for an answer that never comes. Args: JDBC URL, user, password, cipher key, file.
 */
public final class ImportChild {
    private ImportChild() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader parent = new BufferedReader(new InputStreamReader(System.in));
        try (Database db = Database.at(args[0], args[1], args[2], "440105")) {
            new Importer(db, PersonalDataCipher.fromBase64(args[3])).run(new ImportRequest(Dataset.PERSONS, Path.of(args[4]),
                    null, null, null, Map.of(), false, ImportRequest.MaxErrors.NONE, "kill-test"), (phase, read, rejected, fraction) -> {
                        if ("writing".equals(phase) && fraction > 0.5) {
                            System.out.println("half written");
                            System.out.flush();
                            try {
                                parent.readLine();
                            } catch (java.io.IOException e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    });
        }
        System.out.println("finished");
    }
}
