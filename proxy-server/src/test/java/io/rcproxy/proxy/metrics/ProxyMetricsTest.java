package io.rcproxy.proxy.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rcproxy.cluster.resp.RedirectKind;
import io.rcproxy.proxy.command.CommandTable;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProxyMetricsTest {

    private static final CommandTable TABLE = CommandTable.builtIn();

    private static double sample(ProxyMetrics metrics, String name, String[] labelNames, String[] labelValues) {
        Double value = metrics.registry().getSampleValue(name, labelNames, labelValues);
        return value == null ? 0 : value;
    }

    private static double commands(ProxyMetrics metrics, String command, String outcome) {
        return sample(metrics, "redis_proxy_commands_total", new String[] {"command", "outcome"},
                new String[] {command, outcome});
    }

    private static ByteBuf reply(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    @Test
    void outcomeIsErrorBeforeRedirectedBeforeOk() {
        ProxyMetrics metrics = new ProxyMetrics(TABLE);
        CommandMetrics get = metrics.command(TABLE.lookup("get"));
        ByteBuf ok = reply("$1\r\nv\r\n");
        ByteBuf error = reply("-ERR boom\r\n");
        get.replied(ok, false, System.nanoTime());
        get.replied(ok, true, System.nanoTime());
        get.replied(error, true, System.nanoTime());
        get.replied(error, false, System.nanoTime());
        ok.release();
        error.release();
        assertEquals(1, commands(metrics, "get", "ok"));
        assertEquals(1, commands(metrics, "get", "redirected"));
        assertEquals(2, commands(metrics, "get", "error"));
        assertEquals(4, sample(metrics, "redis_proxy_command_duration_seconds_count", new String[] {"command"},
                new String[] {"get"}));
    }

    @Test
    void unknownCommandsShareOneLabel() {
        ProxyMetrics metrics = new ProxyMetrics(TABLE);
        assertSame(metrics.command(null), metrics.command(null));
        assertEquals("unknown", metrics.command(null).name());
        assertEquals("client|setname", metrics.command(TABLE.lookup("client|setname")).name());
    }

    @Test
    void redirectsAreCountedByKind() {
        ProxyMetrics metrics = new ProxyMetrics(TABLE);
        metrics.clusterListener().onRedirect(RedirectKind.MOVED);
        metrics.clusterListener().onRedirect(RedirectKind.MOVED);
        metrics.clusterListener().onRedirect(RedirectKind.ASK);
        String[] kind = {"kind"};
        assertEquals(2, sample(metrics, "redis_proxy_redirections_total", kind, new String[] {"moved"}));
        assertEquals(1, sample(metrics, "redis_proxy_redirections_total", kind, new String[] {"ask"}));
        assertEquals(0, sample(metrics, "redis_proxy_redirections_total", kind, new String[] {"tryagain"}));
    }

    @Test
    void trafficHandlerCountsBytesBothWaysAndPassesThemOn() {
        ProxyMetrics metrics = new ProxyMetrics(TABLE);
        EmbeddedChannel channel = new EmbeddedChannel(metrics.newTrafficHandler());
        channel.writeInbound(reply("*1\r\n$4\r\nPING\r\n"));
        channel.writeOutbound(reply("+PONG\r\n"));
        ByteBuf in = channel.readInbound();
        ByteBuf out = channel.readOutbound();
        assertEquals(14, in.readableBytes());
        assertEquals(7, out.readableBytes());
        in.release();
        out.release();
        assertFalse(channel.finish());
        // bytes are exposed by the scrape-time collector, which needs a running proxy; see MetricsIT
    }

    @Test
    void recordingRepliesAllocatesNothingOnceWarm() {
        ProxyMetrics metrics = new ProxyMetrics(TABLE);
        CommandMetrics[] hot = {
            metrics.command(TABLE.lookup("get")), metrics.command(TABLE.lookup("set")), metrics.command(null)};
        ByteBuf ok = reply("+OK\r\n");
        ByteBuf error = reply("-ERR x\r\n");
        for (int i = 0; i < 50_000; i++) {
            hot[i % 3].replied((i & 1) == 0 ? ok : error, (i & 2) == 0, System.nanoTime());
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            hot[i % 3].replied((i & 1) == 0 ? ok : error, (i & 2) == 0, System.nanoTime());
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        ok.release();
        error.release();
        // Any per-reply allocation costs at least 16 bytes a reply (1.6 MB here); under one byte a reply is
        // what the JIT and its warm-up leave behind, which varies from run to run.
        assertTrue(allocated < 100_000, "recording 100,000 replies allocated " + allocated + " bytes");
    }
}
