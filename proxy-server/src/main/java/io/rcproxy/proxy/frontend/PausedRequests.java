package io.rcproxy.proxy.frontend;

import io.netty.channel.Channel;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.PauseReason;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One client's requests held by CLIENT PAUSE (see {@link ClientPause}): the first one the pause holds and
 * every one read after it, in order, while the client's reads are paused; routed again when the pause
 * ends (its timeout, checked by a timer on the client's loop, or CLIENT UNPAUSE, which wakes each loop).
 *
 * <p>Thread: the client's event loop. Ownership: held requests are owned here until routed again, or
 * released when the client leaves.
 */
final class PausedRequests {

    private final Channel channel;
    private final ReadPauses pauses;
    private final Consumer<RedisRequest> route;
    private ArrayDeque<RedisRequest> held;

    PausedRequests(Channel channel, ReadPauses pauses, Consumer<RedisRequest> route) {
        this.channel = channel;
        this.pauses = pauses;
        this.route = route;
    }

    /** Whether requests are held: a new one must then wait behind them. */
    boolean holding() {
        return held != null;
    }

    /** Keeps {@code request} behind those already held. */
    void add(RedisRequest request) {
        held.add(request);
    }

    /** Starts holding with {@code request}, for {@code millis} at most unless the pause is renewed. */
    void hold(RedisRequest request, long millis) {
        held = new ArrayDeque<>();
        held.add(request);
        pauses.pause(PauseReason.CLIENT_PAUSED);
        channel.eventLoop().schedule(this::release, millis + 1, TimeUnit.MILLISECONDS);
    }

    /** The pause may be over: routes the held requests in order (a pause still on holds them again). */
    void release() {
        ArrayDeque<RedisRequest> waiting = held;
        if (waiting == null) {
            return;
        }
        held = null;
        pauses.resume(PauseReason.CLIENT_PAUSED);
        RedisRequest request;
        while ((request = waiting.poll()) != null) {
            if (held != null) {
                held.add(request); // paused again by an earlier one: the rest keep their order
            } else {
                route.accept(request);
            }
        }
    }

    /** The client is gone. */
    void abort() {
        if (held != null) {
            held.forEach(RedisRequest::release);
            held = null;
        }
    }
}
