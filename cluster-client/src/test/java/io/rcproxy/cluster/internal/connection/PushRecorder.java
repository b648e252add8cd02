package io.rcproxy.cluster.internal.connection;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A push listener for tests: keeps each frame as text (releasing it) and counts losses; read on the loop. */
final class PushRecorder implements PushConnection.Listener {

    final List<String> pushes = new ArrayList<>();
    int lost;

    @Override
    public void onPush(PushConnection connection, ByteBuf frame) {
        try {
            pushes.add(frame.toString(StandardCharsets.UTF_8));
        } finally {
            frame.release();
        }
    }

    @Override
    public void onConnectionLost(PushConnection connection, Throwable cause) {
        lost++;
    }
}
