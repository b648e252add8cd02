package io.rcproxy.cluster.internal.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rcproxy.cluster.spi.ClusterCommand;
import io.rcproxy.cluster.resp.CommandFrame;
import java.nio.charset.StandardCharsets;

/** A command for unit tests that keeps its reply or error as text; releases the reply. */
final class TextCommand extends ClusterCommand {

    String reply;
    String error;

    TextCommand(String... args) {
        super(CommandFrame.encode(ByteBufAllocator.DEFAULT, args), ClusterCommand.ANY_SLOT, 0);
    }

    @Override
    protected void onReply(ByteBuf frame) {
        try {
            reply = frame.toString(StandardCharsets.UTF_8);
        } finally {
            frame.release();
        }
    }

    @Override
    protected void onError(String message) {
        error = message;
    }
}
