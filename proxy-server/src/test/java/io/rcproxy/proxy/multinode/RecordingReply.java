package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.rcproxy.proxy.reply.OwedReply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test fixture: the client's entry for a multi-node request. Records the reply it is completed with (as
 * text, into a list a test may share between entries, in completion order) and releases it.
 */
final class RecordingReply implements OwedReply {

    private final List<String> written;
    private boolean abandoned;
    private int completions;

    RecordingReply() {
        this(new ArrayList<>());
    }

    RecordingReply(List<String> written) {
        this.written = written;
    }

    @Override
    public void complete(ByteBuf reply) {
        try {
            if (completions++ == 0 && !abandoned) {
                written.add(reply.toString(StandardCharsets.US_ASCII));
            }
        } finally {
            reply.release();
        }
    }

    @Override
    public boolean isAbandoned() {
        return abandoned;
    }

    /** The client went away. */
    void abandon() {
        abandoned = true;
    }

    /** The reply, or null while there is none. */
    String reply() {
        return written.isEmpty() ? null : written.get(written.size() - 1);
    }

    int completions() {
        return completions;
    }
}
