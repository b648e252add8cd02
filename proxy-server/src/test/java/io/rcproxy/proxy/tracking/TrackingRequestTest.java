package io.rcproxy.proxy.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rcproxy.proxy.command.Requests;
import java.util.List;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CLIENT TRACKING's options, parsed left to right with Redis's texts for the first bad one. */
class TrackingRequestTest {

    private final Requests requests = new Requests();
    private final LongPredicate onlyClient7 = id -> id == 7;

    @AfterEach
    void release() {
        requests.close();
    }

    private TrackingRequest parse(String... args) {
        return TrackingRequest.parse(requests.of(args), onlyClient7);
    }

    @Test
    void everyOptionIsRead() {
        TrackingRequest r = parse("CLIENT", "TRACKING", "on", "REDIRECT", "7", "bcast", "PREFIX", "a:", "prefix", "b:",
                "NOLOOP");
        assertNull(r.error());
        assertTrue(r.on() && r.bcast() && r.noloop());
        assertEquals(7, r.redirect());
        assertEquals(List.of(TrackedKey.of("a:"), TrackedKey.of("b:")), r.prefixes());
    }

    @Test
    void theFirstBadOptionDecidesTheError() {
        assertEquals(TrackingRequest.SYNTAX, parse("CLIENT", "TRACKING", "on", "foo", "REDIRECT", "x").error());
        assertEquals("ERR value is not an integer or out of range",
                parse("CLIENT", "TRACKING", "on", "REDIRECT", "x", "foo").error());
        assertEquals("ERR The client ID you want redirect to does not exist",
                parse("CLIENT", "TRACKING", "on", "REDIRECT", "8").error());
        assertEquals("ERR A client can only redirect to a single other client",
                parse("CLIENT", "TRACKING", "on", "REDIRECT", "7", "REDIRECT", "x").error());
    }

    @Test
    void anOptionMissingItsValueIsASyntaxError() {
        assertEquals(TrackingRequest.SYNTAX, parse("CLIENT", "TRACKING", "on", "PREFIX").error());
        assertEquals(TrackingRequest.SYNTAX, parse("CLIENT", "TRACKING", "on", "REDIRECT").error());
    }

    @Test
    void theModeIsCheckedAfterTheOptions() {
        assertEquals(TrackingRequest.SYNTAX, parse("CLIENT", "TRACKING", "maybe").error());
        assertEquals("ERR value is not an integer or out of range",
                parse("CLIENT", "TRACKING", "maybe", "REDIRECT", "x").error());
        assertNull(parse("CLIENT", "TRACKING", "OFF", "OPTIN", "OPTOUT").error(), "OFF takes any valid options");
    }
}
