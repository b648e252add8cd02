package io.rcproxy.proxy.command;

import io.rcproxy.proxy.protocol.RedisRequest;

import java.nio.charset.StandardCharsets;

/**
 * XREAD and XREADGROUP: the keys are the first half of the arguments after the STREAMS keyword, the
 * second half being one ID per key. Finding STREAMS skips the options before it exactly as Redis's
 * {@code xreadGetKeys} does, because "streams" may also be a group, consumer or key name.
 *
 * <p>Immutable; any thread.
 */
record StreamKeys() implements KeyLocator {

    private static final byte[] BLOCK = ascii("block");
    private static final byte[] COUNT = ascii("count");
    private static final byte[] GROUP = ascii("group");
    private static final byte[] NOACK = ascii("noack");
    private static final byte[] STREAMS = ascii("streams");

    @Override
    public int slotOf(RedisRequest req) {
        int streams = streamsIndex(req);
        int count = keyCount(req, streams);
        if (count < 0) {
            return KeySlots.BAD_NUMKEYS;
        }
        int slot = KeySlots.NO_KEYS;
        for (int i = streams + 1, end = streams + 1 + count; i < end && slot != KeySlots.CROSS_SLOT; i++) {
            slot = KeySlots.merge(slot, KeySlots.slotOfArg(req, i));
        }
        return slot;
    }

    @Override
    public int keyCount(RedisRequest req) {
        int count = keyCount(req, streamsIndex(req));
        return count < 0 ? KeySlots.BAD_NUMKEYS : count;
    }

    @Override
    public int keyIndex(RedisRequest req, int n) {
        return streamsIndex(req) + 1 + n;
    }

    private static int keyCount(RedisRequest req, int streams) {
        if (streams < 0) {
            return -1;
        }
        int afterStreams = req.argCount() - streams - 1;
        if (afterStreams == 0 || (afterStreams & 1) != 0) {
            return -1;
        }
        return afterStreams / 2;
    }

    /** Index of the STREAMS keyword, or -1 on a syntax error. */
    private static int streamsIndex(RedisRequest req) {
        int argc = req.argCount();
        for (int i = 1; i < argc; i++) {
            if (req.argEqualsIgnoreCase(i, BLOCK) || req.argEqualsIgnoreCase(i, COUNT)) {
                i++;
            } else if (req.argEqualsIgnoreCase(i, GROUP)) {
                i += 2;
            } else if (req.argEqualsIgnoreCase(i, STREAMS)) {
                return i;
            } else if (!req.argEqualsIgnoreCase(i, NOACK)) {
                return -1;
            }
        }
        return -1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
