package io.rcproxy.proxy.tracking;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.proxy.reply.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What CLIENT TRACKING and CLIENT CACHING set on one connection, with Redis 7.0's rules for changing it:
 * on or off, BCAST and its prefixes, OPTIN/OPTOUT and the CACHING answer for the next command, NOLOOP, the
 * REDIRECT target and whether it has gone. Turning tracking on again keeps the prefixes and replaces the
 * rest, as in Redis; turning it off clears everything but the redirect id (which shows as -1).
 *
 * <p>Thread: written on the client's event loop; CLIENT LIST on another loop reads {@link #listFlags()}
 * a moment stale at worst, like the rest of a session.
 */
final class TrackingMode {

    boolean on;
    boolean bcast;
    boolean optin;
    boolean optout;
    boolean noloop;
    /** CLIENT CACHING YES (OPTIN) or NO (OPTOUT) given for the next command. */
    boolean caching;
    boolean brokenRedirect;
    long redirect;
    /** BCAST prefixes, in byte order as CLIENT TRACKINGINFO lists them; null outside BCAST. */
    TreeSet<TrackedKey> prefixes;

    /** Redis's refusal of {@code r} given the current mode, or null when it may be applied. */
    String refusal(TrackingRequest r) {
        if (!r.bcast() && !r.prefixes().isEmpty()) {
            return "ERR PREFIX option requires BCAST mode to be enabled";
        }
        if (on && bcast != r.bcast()) {
            return "ERR You can't switch BCAST mode on/off before disabling tracking for this client, "
                    + "and then re-enabling it with a different mode.";
        }
        if (r.bcast() && (r.optin() || r.optout())) {
            return "ERR OPTIN and OPTOUT are not compatible with BCAST";
        }
        if (r.optin() && r.optout()) {
            return "ERR You can't specify both OPTIN mode and OPTOUT mode";
        }
        if ((r.optin() && optout) || (r.optout() && optin)) {
            return "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, "
                    + "and then re-enabling it with a different mode.";
        }
        return r.bcast() ? prefixCollision(r.prefixes()) : null;
    }

    /** Redis's order: each new prefix against the existing ones (in byte order), then against the later new ones. */
    private String prefixCollision(List<TrackedKey> wanted) {
        for (int i = 0; i < wanted.size(); i++) {
            TrackedKey prefix = wanted.get(i);
            if (prefixes != null) {
                for (TrackedKey existing : prefixes) {
                    if (existing.overlaps(prefix)) {
                        return "ERR Prefix '" + prefix + "' overlaps with an existing prefix '" + existing
                                + "'. Prefixes for a single client must not overlap.";
                    }
                }
            }
            for (int j = i + 1; j < wanted.size(); j++) {
                if (prefix.overlaps(wanted.get(j))) {
                    return "ERR Prefix '" + prefix + "' overlaps with another provided prefix '" + wanted.get(j)
                            + "'. Prefixes for a single client must not overlap.";
                }
            }
        }
        return null;
    }

    /** Applies an accepted CLIENT TRACKING ON. */
    void enable(TrackingRequest r) {
        on = true;
        brokenRedirect = false;
        redirect = r.redirect();
        bcast = r.bcast();
        if (bcast) {
            if (prefixes == null) {
                prefixes = new TreeSet<>();
            }
            if (r.prefixes().isEmpty()) {
                prefixes.add(new TrackedKey(new byte[0]));
            }
            prefixes.addAll(r.prefixes());
        }
        optin = r.optin();
        optout = r.optout();
        noloop = r.noloop();
    }

    void disable() {
        on = bcast = optin = optout = noloop = caching = brokenRedirect = false;
        prefixes = null;
    }

    /** Whether a read now is remembered: OPTIN reads only after CACHING YES, OPTOUT all but after CACHING NO. */
    boolean tracksThisRead() {
        return optin ? caching : !optout || !caching;
    }

    /** CLIENT CACHING YES|NO (already lower case): Redis's error, or null once applied. */
    String caching(String answer) {
        if (!on) {
            return "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN "
                    + "or OPTOUT mode enabled";
        }
        if (answer.equals("yes")) {
            if (!optin) {
                return "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.";
            }
        } else if (answer.equals("no")) {
            if (!optout) {
                return "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.";
            }
        } else {
            return TrackingRequest.SYNTAX;
        }
        caching = true;
        return null;
    }

    /** The redirect id CLIENT GETREDIR and TRACKINGINFO show: 0 for none, -1 while tracking is off. */
    long shownRedirect() {
        return on ? redirect : -1;
    }

    /** CLIENT TRACKINGINFO, in Redis's flag order. */
    ByteBuf info(ByteBufAllocator alloc, Protocol protocol) {
        List<String> flags = new ArrayList<>(6);
        flags.add(on ? "on" : "off");
        if (bcast) {
            flags.add("bcast");
        }
        if (optin) {
            flags.add("optin");
            if (caching) {
                flags.add("caching-yes");
            }
        }
        if (optout) {
            flags.add("optout");
            if (caching) {
                flags.add("caching-no");
            }
        }
        if (noloop) {
            flags.add("noloop");
        }
        if (brokenRedirect) {
            flags.add("broken_redirect");
        }
        return TrackingInfoReply.encode(alloc, protocol, flags, shownRedirect(),
                prefixes == null ? List.of() : prefixes);
    }

    /** CLIENT LIST flags Redis adds for tracking: t (tracking), R (broken redirect), B (BCAST). */
    String listFlags() {
        return (on ? "t" : "") + (brokenRedirect ? "R" : "") + (bcast ? "B" : "");
    }
}
