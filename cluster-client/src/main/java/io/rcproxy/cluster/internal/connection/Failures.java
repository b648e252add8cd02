package io.rcproxy.cluster.internal.connection;

/** The words a connection logs and puts in its errors for why a channel failed. */
final class Failures {

    private Failures() {
    }

    static String describe(Throwable cause) {
        if (cause == null) {
            return "connection closed";
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
