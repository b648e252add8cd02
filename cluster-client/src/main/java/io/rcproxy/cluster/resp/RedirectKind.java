package io.rcproxy.cluster.resp;

import static java.nio.charset.StandardCharsets.US_ASCII;

import io.netty.buffer.ByteBuf;

/**
 * The cluster errors a reply may carry that the router must act on rather than pass to the client.
 * {@link #of(ByteBuf)} looks at no more than the first dozen bytes of a frame and allocates nothing,
 * so every reply on the hot path can be classified.
 *
 * <p>Stateless; any thread. Buffers are read in place and left untouched.
 */
public enum RedirectKind {
    /** Not a cluster redirect: pass the reply on. */
    NONE(""),
    /** {@code -MOVED <slot> <host>:<port>}: the slot lives elsewhere for good. */
    MOVED("-MOVED"),
    /** {@code -ASK <slot> <host>:<port>}: the slot is migrating; ask the target this once. */
    ASK("-ASK"),
    /** {@code -TRYAGAIN ...}: a multi-key command hit a slot mid-migration; retry later. */
    TRYAGAIN("-TRYAGAIN"),
    /** {@code -CLUSTERDOWN ...}: the cluster cannot serve the slot right now. */
    CLUSTERDOWN("-CLUSTERDOWN");

    // values() clones its array on every call; this copy does not.
    private static final RedirectKind[] REDIRECTS = {MOVED, ASK, TRYAGAIN, CLUSTERDOWN};

    private final byte[] prefix;

    RedirectKind(String prefix) {
        this.prefix = prefix.getBytes(US_ASCII);
    }

    /** Length of the error code with its dash, such as 6 for {@code -MOVED}. */
    public int prefixLength() {
        return prefix.length;
    }

    /**
     * Classifies the reply frame starting at {@code replyFrame.readerIndex()}: the error code must
     * be followed by a space or the end of the line.
     */
    public static RedirectKind of(ByteBuf replyFrame) {
        int start = replyFrame.readerIndex();
        int end = replyFrame.writerIndex();
        if (start >= end || replyFrame.getByte(start) != '-') {
            return NONE;
        }
        for (RedirectKind kind : REDIRECTS) {
            if (kind.matches(replyFrame, start, end)) {
                return kind;
            }
        }
        return NONE;
    }

    private boolean matches(ByteBuf buf, int start, int end) {
        int after = start + prefix.length;
        if (after >= end) {
            return false;
        }
        for (int i = 1; i < prefix.length; i++) {
            if (buf.getByte(start + i) != prefix[i]) {
                return false;
            }
        }
        byte next = buf.getByte(after);
        return next == ' ' || next == '\r';
    }
}
