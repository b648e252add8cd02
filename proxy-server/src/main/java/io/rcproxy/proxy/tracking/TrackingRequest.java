package io.rcproxy.proxy.tracking;

import io.rcproxy.proxy.protocol.RedisRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongPredicate;

/**
 * {@code CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p]... [BCAST] [OPTIN] [OPTOUT] [NOLOOP]} parsed as
 * Redis 7.0 parses it: options left to right, the first bad one refused with Redis's text; a REDIRECT id
 * must name a connected client now. The checks that depend on the client's current mode are
 * {@link ClientTracking}'s.
 *
 * @param error    Redis's error text (without the leading {@code -}), or null when the request parsed
 * @param prefixes in the order given
 */
record TrackingRequest(String error, boolean on, long redirect, boolean bcast, boolean optin, boolean optout,
                       boolean noloop, List<TrackedKey> prefixes) {

    static final String SYNTAX = "ERR syntax error";

    static TrackingRequest refused(String error) {
        return new TrackingRequest(error, false, 0, false, false, false, false, List.of());
    }

    /** Parses {@code request} (CLIENT TRACKING ...; at least three arguments, the table checks arity). */
    static TrackingRequest parse(RedisRequest request, LongPredicate clientExists) {
        long redirect = 0;
        boolean bcast = false;
        boolean optin = false;
        boolean optout = false;
        boolean noloop = false;
        List<TrackedKey> prefixes = new ArrayList<>(0);
        int args = request.argCount();
        for (int j = 3; j < args; j++) {
            boolean more = j + 1 < args;
            String option = request.argString(j).toLowerCase(Locale.ROOT);
            if (option.equals("redirect") && more) {
                j++;
                if (redirect != 0) {
                    return refused("ERR A client can only redirect to a single other client");
                }
                redirect = request.argAsLong(j, Long.MIN_VALUE);
                if (redirect == Long.MIN_VALUE) {
                    return refused("ERR value is not an integer or out of range");
                }
                if (!clientExists.test(redirect)) {
                    return refused("ERR The client ID you want redirect to does not exist");
                }
            } else if (option.equals("bcast")) {
                bcast = true;
            } else if (option.equals("optin")) {
                optin = true;
            } else if (option.equals("optout")) {
                optout = true;
            } else if (option.equals("noloop")) {
                noloop = true;
            } else if (option.equals("prefix") && more) {
                j++;
                prefixes.add(TrackedKey.copyOf(request.frame(), request.argOffset(j), request.argLength(j)));
            } else {
                return refused(SYNTAX);
            }
        }
        String mode = request.argString(2).toLowerCase(Locale.ROOT);
        if (!mode.equals("on") && !mode.equals("off")) {
            return refused(SYNTAX);
        }
        return new TrackingRequest(null, mode.equals("on"), redirect, bcast, optin, optout, noloop, prefixes);
    }
}
