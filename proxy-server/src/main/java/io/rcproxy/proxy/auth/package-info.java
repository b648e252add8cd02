/**
 * Who may use the proxy: its users (Redis ACL rules, passwords as SHA-256), the per-connection check every
 * request passes before it is routed, AUTH and the ACL subcommands, and reloading the users from files.
 */
package io.rcproxy.proxy.auth;
