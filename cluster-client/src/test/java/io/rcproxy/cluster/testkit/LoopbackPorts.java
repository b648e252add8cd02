package io.rcproxy.cluster.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks loopback ports for cluster nodes: a client port {@code p} whose cluster bus port
 * {@code p + 10000} is free as well.
 *
 * <p>Candidates come from 15000..21999 rather than from {@code ServerSocket(0)}: the kernel hands
 * out port 0 from the ephemeral range (32768+ on Linux), where outgoing connections, including our
 * own test clients, may take the port between the probe and redis-server's bind, and where
 * {@code p + 10000} often exceeds 65535. Below 32768 neither happens. A probe can still race with
 * another process, so callers retry with a new port when redis-server reports the address in use.
 * Ports handed out once are never handed out again in this JVM. Thread-safe.
 */
public final class LoopbackPorts {

    static final int BUS_PORT_OFFSET = 10000;
    private static final int LOW = 15000;
    private static final int HIGH = 22000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private LoopbackPorts() {
    }

    /** A port {@code p} with {@code p} and {@code p + 10000} both bindable on 127.0.0.1 right now. */
    public static int reserve() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
            if (HANDED_OUT.add(port)) {
                if (isFree(port) && isFree(port + BUS_PORT_OFFSET)) {
                    return port;
                }
            }
        }
        throw new RedisTestException("no free loopback port pair (p, p+10000) in " + LOW + ".." + HIGH);
    }

    /** Whether a server socket can bind 127.0.0.1:port now. */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // Same option redis-server uses, so a port in TIME_WAIT counts as free for both of us.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
