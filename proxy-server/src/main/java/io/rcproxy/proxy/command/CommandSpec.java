package io.rcproxy.proxy.command;

/**
 * What the proxy knows about one Redis command or subcommand: one row of {@code commands.tsv}.
 *
 * <p>Immutable; created once by {@link CommandTable} and shared by every event loop.
 *
 * @param name           lowercase; a subcommand is {@code container|sub}, as Redis names it in errors
 * @param arity          Redis's: {@code n > 0} exactly n arguments (name included), {@code n < 0} at least -n
 * @param flags          {@link CommandFlag} bits
 * @param firstKey       Redis's legacy key range, as reported by COMMAND (0: no fixed keys)
 * @param lastKey        negative counts from the end: -1 is the last argument
 * @param step           distance between keys (2 for MSET)
 * @param keys           where the keys really are, including for movablekeys commands
 * @param plannedRouting the routing the data asks for, implemented or not (see {@link #routing()})
 * @param merge          how the parts' replies become one, for {@link Routing#FAN_OUT} and {@link Routing#ALL_MASTERS}
 *                       rows (never null there); null for every other row
 * @param container      whether this command has subcommands (CLIENT, CONFIG, OBJECT...)
 * @param id             dense index in {@link CommandTable#specs()}, so per-command data (metrics) is an
 *                       array read rather than a map probe on the hot path
 * @param categories     {@link AclCategory} bits: Redis's ACL categories of the command
 */
public record CommandSpec(String name, int arity, int flags, int firstKey, int lastKey, int step,
                          KeyLocator keys, Routing plannedRouting, Merge merge, boolean container, int id,
                          int categories) {

    /** What the frontend should do today: {@link #plannedRouting()}, or UNSUPPORTED until that is implemented. */
    public Routing routing() {
        return plannedRouting.effective();
    }

    /** Whether {@code argCount} arguments (the command name included) satisfy the arity. */
    public boolean acceptsArgCount(int argCount) {
        return arity >= 0 ? argCount == arity : argCount >= -arity;
    }

    public boolean has(CommandFlag flag) {
        return (flags & flag.bit()) != 0;
    }

    public boolean in(AclCategory category) {
        return (categories & category.bit()) != 0;
    }

    public boolean isReadonly() {
        return has(CommandFlag.READONLY);
    }

    public boolean isWrite() {
        return has(CommandFlag.WRITE);
    }

    public boolean isBlocking() {
        return has(CommandFlag.BLOCKING);
    }

    /** Whether the keys are found by {@link #keys()} rather than by the fixed range alone. */
    /** Whether the keys follow a STREAMS keyword (XREAD, XREADGROUP: the table's {@code streams} keys). */
    public boolean hasStreamKeys() {
        return keys instanceof StreamKeys;
    }

    public boolean hasMovableKeys() {
        return has(CommandFlag.MOVABLEKEYS);
    }
}
