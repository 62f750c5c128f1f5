package cn.haizhu.grid.server;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a server ({@code serve}) of this same program as a process of its own, as {@code ./gridctl
 * cluster up} starts its instances and {@code ./gridctl sync up} its nodes: in a session of its own
 * (closing the terminal leaves it running), configured by its file alone, its output in {@code
 * server.log} and its process id in {@code server.pid} of its folder.
 */
public final class ServerLaunch {
    private ServerLaunch() {
    }

    /**
     * @param env variables the server gets besides {@code GRIDCTL_CONFIG}; every other {@code GRIDCTL_}
     *            setting of the shell that ran the command is left out, so it cannot leak into the server
     */
    public static ProcessHandle start(List<String> javaOptions, Path projectDir, Path configFile, Path dir,
                                      Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>();
        setsid().ifPresent(command::add);
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(javaOptions);
        command.add("-Dgridctl.home=" + projectDir);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.add("serve");
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("GRIDCTL_"));
        pb.environment().put("GRIDCTL_CONFIG", configFile.toString());
        pb.environment().putAll(env);
        Process process = pb.start();
        Files.writeString(dir.resolve("server.pid"), process.pid() + "\n");
        return process.toHandle();
    }

    private static java.util.Optional<String> setsid() {
        return List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin").stream().map(d -> Path.of(d, "setsid"))
                .filter(Files::isExecutable).map(Path::toString).findFirst();
    }
}
