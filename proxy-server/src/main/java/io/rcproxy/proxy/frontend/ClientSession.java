package io.rcproxy.proxy.frontend;

/** What the proxy remembers about one client connection itself: its id and CLIENT SETNAME name. */
final class ClientSession {

    private final long id;
    private String name;

    ClientSession(long id) {
        this.id = id;
    }

    long id() {
        return id;
    }

    String name() {
        return name;
    }

    void name(String newName) {
        this.name = newName;
    }
}
