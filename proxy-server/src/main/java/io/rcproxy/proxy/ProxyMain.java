package io.rcproxy.proxy;

public final class ProxyMain {
    public static void main(String[] args) {
    }
}
