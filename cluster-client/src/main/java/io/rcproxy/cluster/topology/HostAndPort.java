package io.rcproxy.cluster.topology;

/**
 * A node's network endpoint as Redis announces it. IPv6 hosts are kept without brackets; {@link #parse}
 * splits at the last colon so that {@code ::1:7001} and {@code [::1]:7001} both work.
 */
public record HostAndPort(String host, int port) {

    public HostAndPort {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535, got " + port);
        }
    }

    /** Parses {@code host:port}, {@code [v6]:port} or {@code v6:port}. */
    public static HostAndPort parse(String text) {
        String s = text.trim();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("expected host:port, got \"" + text + "\"");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected host:port, got \"" + text + "\"");
        }
        return new HostAndPort(host, port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
