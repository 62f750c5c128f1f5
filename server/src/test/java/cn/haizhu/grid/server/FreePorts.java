package cn.haizhu.grid.server;

import cn.haizhu.grid.data.db.TestDatabases;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Ports on loopback for the servers and nodes a test starts (and binds later): below Linux's ephemeral range, like every port the
 * tests pick ({@link TestDatabases#portAbove}). A port the kernel hands out for {@code new
 * ServerSocket(0)} lies in that range, where any outgoing connection on the machine may take it in the
 * seconds before a node binds it (a convergence run once failed so: "cannot listen on port 40006").
 */
public final class FreePorts {
    /** Offsets 1200–1399 above the tests' base, apart from the fixed ports of the cluster tests (1141–1196). */
    private static final int FIRST = 1200;
    private static final int SPAN = 200;
    private static int next = FIRST;

    private FreePorts() {
    }

    /** The first of n consecutive ports free on loopback now, none of them handed out before in this run. */
    public static synchronized int consecutive(int n) {
        for (int tried = 0; tried < SPAN; tried++) {
            if (next + n > FIRST + SPAN) {
                next = FIRST;
            }
            int base = TestDatabases.portAbove(next);
            next += n;
            if (allFree(base, n)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + n + " consecutive free ports from " + TestDatabases.portAbove(FIRST));
    }

    /** One free port. */
    public static int one() {
        return consecutive(1);
    }

    private static boolean allFree(int base, int n) {
        for (int p = base; p < base + n; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
            } catch (IOException busy) {
                return false;
            }
        }
        return true;
    }
}
