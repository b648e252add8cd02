/**
 * Configuration: HOCON from {@code reference.conf}, the user's file, flags and environment, checked at start-up.
 */
package io.rcproxy.proxy.config;
