package io.rcproxy.proxy.command;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rcproxy.proxy.protocol.RedisRequest;
import io.rcproxy.proxy.protocol.RespRequestDecoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Test fixture: builds requests the way the proxy gets them (multibulk bytes through the decoder)
 * and releases every request it built when the test closes it.
 */
public final class Requests implements AutoCloseable {

    private final List<RedisRequest> built = new ArrayList<>();

    public RedisRequest of(String... args) {
        StringBuilder resp = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            resp.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
        }
        EmbeddedChannel channel = new EmbeddedChannel(new RespRequestDecoder());
        ByteBuf bytes = Unpooled.copiedBuffer(resp, StandardCharsets.UTF_8);
        channel.writeInbound(bytes);
        RedisRequest request = channel.readInbound();
        assertFalse(channel.finish());
        built.add(request);
        return request;
    }

    @Override
    public void close() {
        built.forEach(RedisRequest::release);
        built.clear();
    }
}
