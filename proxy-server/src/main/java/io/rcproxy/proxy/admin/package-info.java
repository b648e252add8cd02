/**
 * The admin HTTP port: {@code /metrics}, {@code /health/live} and {@code /health/ready}.
 */
package io.rcproxy.proxy.admin;
