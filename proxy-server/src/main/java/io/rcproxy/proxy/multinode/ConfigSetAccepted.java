package io.rcproxy.proxy.multinode;

import io.netty.buffer.ByteBuf;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.reply.OwedReply;

/**
 * CONFIG SET's reply on its way to the client: when it is not an error, the proxy hears of each pair the
 * nodes took ({@link InfoSource#configSetAccepted}), so settings it mirrors follow the nodes'.
 *
 * <p>Thread: the client's event loop. Ownership: the reply passes through to the client's entry.
 */
final class ConfigSetAccepted implements OwedReply {

    private final OwedReply client;
    /** Parameter, value, parameter, value... copied from the request, which is released before the reply. */
    private final String[] pairs;
    private final InfoSource proxy;

    private ConfigSetAccepted(OwedReply client, String[] pairs, InfoSource proxy) {
        this.client = client;
        this.pairs = pairs;
        this.proxy = proxy;
    }

    /** {@code request} is {@code CONFIG SET p v [p v ...]}; only read here. */
    static OwedReply of(RedisRequest request, OwedReply client, InfoSource proxy) {
        String[] pairs = new String[Math.max(0, request.argCount() - 2)];
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = request.argString(i + 2);
        }
        return new ConfigSetAccepted(client, pairs, proxy);
    }

    @Override
    public void complete(ByteBuf reply) {
        if (!ReplyFrames.isError(reply)) {
            for (int i = 0; i + 1 < pairs.length; i += 2) {
                proxy.configSetAccepted(pairs[i], pairs[i + 1]);
            }
        }
        client.complete(reply);
    }

    @Override
    public boolean isAbandoned() {
        return client.isAbandoned();
    }
}
